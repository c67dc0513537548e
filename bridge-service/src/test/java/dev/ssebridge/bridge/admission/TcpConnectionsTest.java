package dev.ssebridge.bridge.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssebridge.bridge.config.BridgeProperties.AdmissionProperties;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TcpConnectionsTest {

    private final AtomicLong clock = new AtomicLong();

    private TcpConnections connections(int perAddress, int total, int reserve, String clientAddressHeader) {
        return connections(perAddress, total, reserve, clientAddressHeader, 0);
    }

    private TcpConnections connections(int perAddress, int total, int reserve, String clientAddressHeader,
                                       int awaitingPerAddress) {
        AdmissionProperties settings = new AdmissionProperties(50_000, Math.max(1, perAddress), 50, 500,
                clientAddressHeader, 32, 4096, Duration.ofSeconds(10), Duration.ofSeconds(60), perAddress, total, reserve,
                awaitingPerAddress);
        return new TcpConnections(settings, TcpConnections.limitFor(settings), clock::get);
    }

    @Test
    void anAddressMayHaveOnlySoManyNewConnectionsWaitingForTheirFirstRequest() throws Exception {
        TcpConnections tcp = connections(0, 100, 0, null, 2);
        InetAddress flooding = InetAddress.getByName("203.0.113.9");
        InetAddress other = InetAddress.getByName("203.0.113.10");
        assertThat(tcp.accept(flooding)).isEqualTo(TcpConnections.Admission.ACCEPTED);
        assertThat(tcp.accept(flooding)).isEqualTo(TcpConnections.Admission.ACCEPTED);
        assertThat(tcp.accept(flooding)).isEqualTo(TcpConnections.Admission.REFUSED_AWAITING);
        assertThat(tcp.accept(other)).isEqualTo(TcpConnections.Admission.ACCEPTED);
        assertThat(tcp.open()).as("the refused one is not counted").isEqualTo(3);
        tcp.firstRequestSettled(flooding); // its request arrived: it holds a place, not a waiting one
        assertThat(tcp.accept(flooding)).isEqualTo(TcpConnections.Admission.ACCEPTED);
        assertThat(tcp.accept(flooding)).isEqualTo(TcpConnections.Admission.REFUSED_AWAITING);
        assertThat(tcp.refusedCount(TcpConnections.Refusal.AWAITING)).isEqualTo(2);
        assertThat(connections(0, 100, 0, "X-Forwarded-For", 2).awaitingPerAddressLimit()).as("behind a proxy")
                .isZero();
    }

    @Test
    void withPlacesToSpareAnAddressMayHaveMoreWaitingThanWhenTheyAreScarce() throws Exception {
        TcpConnections tcp = connections(10, 100, 0, null, 2); // scarce beyond 100 - 10 = 90 open
        InetAddress crowd = InetAddress.getByName("203.0.113.20");
        for (int i = 0; i < 5; i++) {
            assertThat(tcp.accept(crowd)).as("plenty free: a crowd reconnecting").isEqualTo(TcpConnections.Admission.ACCEPTED);
        }
        for (int i = 0; i < 85; i++) {
            assertThat(tcp.accept(InetAddress.getByName("198.51.100." + (i + 1)))).isEqualTo(TcpConnections.Admission.ACCEPTED);
        }
        InetAddress flooding = InetAddress.getByName("203.0.113.21");
        assertThat(tcp.accept(flooding)).isEqualTo(TcpConnections.Admission.ACCEPTED);
        assertThat(tcp.accept(flooding)).isEqualTo(TcpConnections.Admission.ACCEPTED);
        assertThat(tcp.accept(flooding)).as("scarce: two waiting is its share").isEqualTo(TcpConnections.Admission.REFUSED_AWAITING);
        assertThat(tcp.accept(crowd)).as("scarce, and it has five waiting").isEqualTo(TcpConnections.Admission.REFUSED_AWAITING);
    }

    @Test
    void anAddressGetsItsShareAndNoMoreWhileOthersStillGetIn() throws Exception {
        TcpConnections tcp = connections(3, 100, 0, null);
        InetAddress one = InetAddress.getByName("203.0.113.7");
        InetAddress other = InetAddress.getByName("203.0.113.8");
        for (int i = 0; i < 3; i++) {
            assertThat(tcp.accept(one)).isEqualTo(TcpConnections.Admission.ACCEPTED);
        }
        assertThat(tcp.accept(one)).isEqualTo(TcpConnections.Admission.REFUSED_ADDRESS);
        assertThat(tcp.accept(other)).isEqualTo(TcpConnections.Admission.ACCEPTED);
        tcp.release(one);
        assertThat(tcp.accept(one)).as("a place freed is a place again").isEqualTo(TcpConnections.Admission.ACCEPTED);
        assertThat(tcp.open()).isEqualTo(4);
        assertThat(tcp.refusedCount(TcpConnections.Refusal.ADDRESS)).isEqualTo(1);
    }

    @Test
    void behindAProxyThePeerIsTheProxyAndIsNotCapped() throws Exception {
        TcpConnections tcp = connections(3, 100, 0, "X-Forwarded-For");
        InetAddress proxy = InetAddress.getByName("10.0.0.1");
        for (int i = 0; i < 10; i++) {
            assertThat(tcp.accept(proxy)).isEqualTo(TcpConnections.Admission.ACCEPTED);
        }
        assertThat(tcp.perAddressLimit()).isZero();
    }

    @Test
    void nearTheTotalOnlyTheReserveIsLeftThenConnectionsAreRefusedAndTheInstanceIsDegradedForAMinute() throws Exception {
        TcpConnections tcp = connections(0, 10, 3, null);
        InetAddress address = InetAddress.getByName("198.51.100.1");
        for (int i = 0; i < 7; i++) {
            assertThat(tcp.accept(address)).isEqualTo(TcpConnections.Admission.ACCEPTED);
        }
        assertThat(tcp.degradedReason()).isNull();
        for (int i = 0; i < 3; i++) {
            assertThat(tcp.accept(address)).isEqualTo(TcpConnections.Admission.RESERVE_ONLY);
        }
        assertThat(tcp.degradedReason()).contains("reserve");
        assertThat(tcp.accept(address)).isEqualTo(TcpConnections.Admission.REFUSED_TOTAL);
        assertThat(tcp.open()).isEqualTo(10);
        for (int i = 0; i < 5; i++) {
            tcp.release(address);
        }
        assertThat(tcp.degradedReason()).as("refused at the limit within the last minute").contains("refused");
        clock.addAndGet(Duration.ofSeconds(61).toNanos());
        assertThat(tcp.degradedReason()).isNull();
    }

    @Test
    void withoutASettingTheTotalComesFromTheFileDescriptorLimit() {
        TcpConnections tcp = connections(0, 0, 64, null);
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            assertThat((long) tcp.limit()).isLessThan(unix.getMaxFileDescriptorCount())
                    .isGreaterThan(unix.getMaxFileDescriptorCount() - unix.getOpenFileDescriptorCount()
                            - TcpConnections.DESCRIPTOR_MARGIN - 100);
        }
    }

    @Test
    void logsNameANetworkNotAnAddress() throws Exception {
        assertThat(AcceptGuard.network(InetAddress.getByName("203.0.113.77"))).isEqualTo("203.0.113.x");
        assertThat(AcceptGuard.network(InetAddress.getByName("2001:db8:1:2:3:4:5:6"))).isEqualTo("2001:db8:1::/48");
    }
}
