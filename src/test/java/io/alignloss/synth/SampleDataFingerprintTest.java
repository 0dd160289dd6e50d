package io.alignloss.synth;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every generator's rows, pinned: SHA-256 of the rows' text ({@code Row.toString()} per line) for fixed sizes and seeds.
 * The digests were computed with the single-class {@code SampleData} before it was split into one generator per
 * dataset (issue 15), so any change to what a seed draws (the order of the random draws, a constant, a rounding) fails
 * here, not first in a golden summary. Change a digest only with a deliberate change of the samples, and say so in
 * docs/changelog.md.
 */
class SampleDataFingerprintTest {
    @Test
    void preferenceGeneratorsDrawWhatTheyDrewBeforeTheSplit() {
        assertThat(sha256(SampleData.preferences(300, 7))).isEqualTo("04ab88bccc91f22d8672d435a0756366d6ef5817f9b2f9efdcc25517f160202d");
        assertThat(sha256(SampleData.embeddedPreferences(300, 7))).isEqualTo("2a3c38a3b1951f935f296cf5f2063482c46ce35e6b8c0675b889a03db1c3f9fb");
        assertThat(sha256(SampleData.badPreferences(50, 7))).isEqualTo("29a88a190bd012895f1da5973f2e6f630dcb9421fb1441396b5e8a42975a4205");
        assertThat(sha256(SampleData.reference(300, 7))).isEqualTo("23cbf02787210a90c91b1aa8fe1f8dc795af55019cbf797c4936a6482904aea7");
        assertThat(sha256(SampleData.battles(300, 7))).isEqualTo("e0a77928f2134695d2a0dfee5bc4fd8c061ae7191161f033c1c043a371ce7d25");
    }

    @Test
    void sequenceGeneratorsDrawWhatTheyDrewBeforeTheSplit() {
        assertThat(sha256(SampleData.sequences(300, 7))).isEqualTo("f4f6f29c009ebfad4baee156fc7a8a3fe66fcd754bac2d545fb29854887f490b");
        assertThat(sha256(SampleData.selfTargets(300, 7))).isEqualTo("836c4242e9b18fcbcfe7897067c5e5279b04c7f0cdf7682157c3aecbbd5f9f46");
        assertThat(sha256(SampleData.badSequences(50, 7))).isEqualTo("59c498eb4c7c2b9dd76caf59eb71b446105a722627e25d8bda2f30b524d28423");
    }

    @Test
    void candidateGeneratorsDrawWhatTheyDrewBeforeTheSplit() {
        assertThat(sha256(SampleData.candidates(100, 7))).isEqualTo("0fe92be45928fe205d49f2375e55b01d5089bc4ead56ecef48a0f0aba642dd1d");
        assertThat(sha256(SampleData.logged(100, 7, 8))).isEqualTo("f6603675d7462d9601bc6681f7c7561236f52c78c6db6368a47ec6d30c8dfe2e");
        assertThat(sha256(SampleData.loggedCandidates(100, 7, 8))).isEqualTo("3d125a1792af63fcdd909c7d1c0dfbde2652d8428a5150ca4c3d0184fe076e45");
    }

    @Test
    void dpoGeneratorDrawsWhatItDrewWhenAdded() {
        assertThat(sha256(SampleData.dpoPairs(300, 7))).isEqualTo("1f975c8c5b0df175616d5518e4cbdc350920662da3a83fbd1a8d6875e18dc3fc");
    }

    @Test
    void theDigestSeesAChangeInOneValue() {
        List<Row> rows = SampleData.preferences(20, 7);
        List<Row> changed = new java.util.ArrayList<>(rows);
        changed.set(19, SampleData.preferences(21, 7).get(20));
        assertThat(sha256(changed)).isNotEqualTo(sha256(rows));
        assertThat(sha256(SampleData.preferences(20, 8))).isNotEqualTo(sha256(rows));
    }

    private static String sha256(List<Row> rows) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Row row : rows) {
                digest.update((row.toString() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(digest.digest());
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
