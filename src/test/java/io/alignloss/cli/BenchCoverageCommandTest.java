package io.alignloss.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code bench coverage} rejects bad options with exit 2 before any Spark session starts. */
class BenchCoverageCommandTest {
    @Test
    void anUnknownCaseIsAUsageError() {
        assertThat(Main.execute("bench", "coverage", "--cases", "preference,nope")).isEqualTo(2);
    }

    @Test
    void fewerThanTwoReplicatesIsAUsageError() {
        assertThat(Main.execute("bench", "coverage", "--replicates", "1")).isEqualTo(2);
    }
}
