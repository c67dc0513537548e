# Builds the bridge and the simulators from source; docker-compose.yml picks a target.
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B -ntp -DskipTests package \
 && cp "$(ls bridge-service/target/bridge-service-*.jar | grep -v -- '-plain\.jar$')" /src/bridge.jar

# Built for Java 17, run on 25: JDK 17's G1 spends a fifth of the CPU on card refinement with thousands of
# connections (benchmarks/RESULTS.md, fifth round of 2026-12-07); newer JDKs do not.
FROM eclipse-temurin:25-jre AS runtime
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
RUN useradd --system --uid 10001 app
USER app
WORKDIR /app

FROM runtime AS bridge
# The runnable jar (target/ also holds -plain.jar, the classes the JMH module builds against).
COPY --from=build /src/bridge.jar /app/bridge.jar
EXPOSE 8080
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/bridge.jar"]

FROM runtime AS simulators
COPY --from=build /src/simulators/target/simulators-*.jar /app/simulators.jar
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/simulators.jar"]
