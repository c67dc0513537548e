package dev.ssebridge.bridge.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ExecutionException;
import javax.security.auth.login.LoginException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.IllegalSaslStateException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

/** Which of Kafka's errors are refusals the bridge backs off from, and which it simply retries. */
class FatalKafkaErrorsTest {

    @Test
    void refusedCredentialsAndAclsAreFatalWhereverTheyAreWrapped() {
        assertThat(FatalKafkaErrors.isFatal(new ExecutionException(new SaslAuthenticationException("bad password"))))
                .isTrue();
        assertThat(FatalKafkaErrors.isFatal(new KafkaException(new SslAuthenticationException("bad_certificate"))))
                .isTrue();
        assertThat(FatalKafkaErrors.isFatal(new TopicAuthorizationException("no read"))).isTrue();
        assertThat(FatalKafkaErrors.of(new KafkaException(new LoginException("token endpoint said 401"))))
                .isInstanceOf(FatalKafkaErrors.LoginFailedException.class);
    }

    @Test
    void aSaslExchangeOutOfStepAndOutagesAreRetried() {
        assertThat(FatalKafkaErrors.isFatal(new IllegalSaslStateException(
                "Unexpected handshake request with client mechanism OAUTHBEARER, enabled mechanisms are []"))).isFalse();
        assertThat(FatalKafkaErrors.isFatal(new ExecutionException(new IllegalSaslStateException("out of step"))))
                .isFalse();
        assertThat(FatalKafkaErrors.isFatal(new TimeoutException("no answer"))).isFalse();
    }
}
