package io.alignloss.job;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link Stages#alongside}: both sides run at the same time, and it returns only once both have ended. */
class StagesTest {
    private final Stages stages = new Stages(stage -> { });

    @Test
    void runsTheBackgroundAtTheSameTimeAndWaitsForIt() {
        CountDownLatch workStarted = new CountDownLatch(1);
        AtomicBoolean backgroundEnded = new AtomicBoolean();
        String result = stages.alongside(() -> {
            try {
                // ends only once the work on the calling thread has started: the two overlap
                assertThat(workStarted.await(30, TimeUnit.SECONDS)).isTrue();
                Thread.sleep(200);
            }
            catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            backgroundEnded.set(true);
        }, () -> {
            workStarted.countDown();
            return "figures";
        });
        assertThat(result).isEqualTo("figures");
        assertThat(backgroundEnded).isTrue(); // the work ended long before the background: alongside waited
    }

    @Test
    void aFailureOfTheWorkIsRethrownAfterTheBackgroundEndsWithItsFailureSuppressed() {
        AtomicBoolean backgroundEnded = new AtomicBoolean();
        assertThatThrownBy(() -> stages.alongside(() -> {
            sleep();
            backgroundEnded.set(true);
            throw new IllegalStateException("write failed");
        }, () -> {
            throw new IllegalArgumentException("diagnostics failed");
        })).isInstanceOf(IllegalArgumentException.class).hasMessage("diagnostics failed")
                .satisfies(e -> assertThat(e.getSuppressed()).singleElement().hasFieldOrPropertyWithValue("message", "write failed"));
        assertThat(backgroundEnded).isTrue();
    }

    @Test
    void aFailureOfTheBackgroundAloneIsRethrown() {
        assertThatThrownBy(() -> stages.alongside(() -> {
            throw new IllegalStateException("write failed");
        }, () -> "figures")).isInstanceOf(IllegalStateException.class).hasMessage("write failed");
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        }
        catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
