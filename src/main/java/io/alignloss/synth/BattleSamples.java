package io.alignloss.synth;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Arena battles between models of hidden Bradley-Terry strengths, with ties and one rejected row per reason. */
final class BattleSamples {
    /** The models of the battle sample and their hidden Bradley-Terry strengths θ (Σθ = 0). */
    private static final String[] BATTLE_MODELS = {"atlas-7b", "borealis-13b", "cirrus-8x7b", "dune-70b", "ember-3b"};
    private static final double[] BATTLE_STRENGTHS = {0.1, 0.4, 0.2, 0.8, -1.5};
    /** Share of battles that end in a tie; a quarter of those are "tie (bothbad)". */
    private static final double TIE_SHARE = 0.15;

    private BattleSamples() {
    }

    static List<Row> battles(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int n = BATTLE_MODELS.length;
        List<Row> rows = new ArrayList<>(count + 3);
        for (int i = 0; i < count; i++) {
            int a = random.nextInt(n);
            int b = (a + 1 + random.nextInt(n - 1)) % n;
            String winner;
            if (random.nextDouble() < TIE_SHARE) {
                winner = random.nextDouble() < 0.25 ? "tie (bothbad)" : "tie";
            }
            else {
                // σ(θ_a − θ_b) = 1 / (1 + exp(θ_b − θ_a))
                winner = random.nextDouble() < 1 / (1 + Math.exp(BATTLE_STRENGTHS[b] - BATTLE_STRENGTHS[a])) ? "model_a" : "model_b";
            }
            rows.add(RowFactory.create(BATTLE_MODELS[a], BATTLE_MODELS[b], winner));
        }
        rows.add(RowFactory.create(null, BATTLE_MODELS[0], "model_b"));              // missing_model
        rows.add(RowFactory.create(BATTLE_MODELS[1], BATTLE_MODELS[1], "tie"));      // same_model
        rows.add(RowFactory.create(BATTLE_MODELS[2], BATTLE_MODELS[3], "draw"));     // unknown_winner
        return rows;
    }
}
