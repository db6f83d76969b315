package dev.todoservice.web;

import java.time.Duration;

import io.helidon.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;

class DrainTest {

    private final Drain drain = new Drain();

    @Test
    void readyUntilDrainingStarts() {
        assertThat(drain.status().status(), is(HealthCheckResponse.Status.UP));
        drain.awaitIdle(Duration.ZERO, Duration.ZERO);
        assertThat(drain.status().status(), is(HealthCheckResponse.Status.DOWN));
    }

    @Test
    void idleServerDrainsAtOnce() {
        assertThat(drain.awaitIdle(Duration.ZERO, Duration.ofSeconds(5)), is(0));
    }

    @Test
    void waitsForTheLastRequestInFlight() throws InterruptedException {
        drain.requestStarted();
        Thread finisher = Thread.ofVirtual().start(() -> {
            while (!drain.draining()) {
                Thread.onSpinWait();
            }
            drain.requestFinished();
        });
        assertThat(drain.awaitIdle(Duration.ZERO, Duration.ofSeconds(10)), is(0));
        finisher.join();
    }

    @Test
    void keepsServingForTheDelayEvenWhenIdle() {
        long start = System.nanoTime();
        assertThat(drain.awaitIdle(Duration.ofMillis(300), Duration.ofSeconds(5)), is(0));
        assertThat(Duration.ofNanos(System.nanoTime() - start).toMillis(), greaterThanOrEqualTo(300L));
    }

    @Test
    void theDelayNeverExtendsPastTheTimeout() {
        drain.requestStarted();
        assertThat(drain.awaitIdle(Duration.ofSeconds(30), Duration.ofMillis(50)), is(1));
    }

    @Test
    void givesUpAfterTheTimeoutReportingWhatIsLeft() {
        drain.requestStarted();
        drain.requestStarted();
        assertThat(drain.awaitIdle(Duration.ZERO, Duration.ofMillis(50)), is(2));
    }
}
