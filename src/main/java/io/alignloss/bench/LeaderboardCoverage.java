package io.alignloss.bench;

import io.alignloss.leaderboard.LeaderboardJob;
import io.alignloss.leaderboard.Standing;
import io.alignloss.objective.bradleyterry.BradleyTerry;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

import static java.lang.String.format;

/**
 * Leaderboard rating intervals: battles between models with known centred strengths θ (Σθ = 0), each pair
 * equally likely, model_a winning with probability σ(θ_a − θ_b), no ties, fitted with l2 = 0 and the
 * command's defaults (scale 400, base 1000, 100 bootstrap rounds). Without l2 the ratings are centred on
 * the base, so the truth of model i is {@code 400·θ_i/ln 10 + 1000}. One leaderboard run per replicate.
 */
final class LeaderboardCoverage {
    static final double[] STRENGTHS = {-1.2, -0.4, 0.0, 0.5, 1.1};
    static final double SCALE = 400;
    static final double BASE = 1000;
    static final int BOOTSTRAP = 100;

    private LeaderboardCoverage() {
    }

    static String model(int i) {
        return "model-" + (char) ('a' + i);
    }

    record Battles(int rows) implements Population {
        @Override
        public StructType schema() {
            return new StructType().add("model_a", DataTypes.StringType).add("model_b", DataTypes.StringType)
                    .add("winner", DataTypes.StringType);
        }

        @Override
        public List<Object[]> draw(SplittableRandom random, int replicate) {
            List<Object[]> rows = new ArrayList<>(this.rows);
            int n = STRENGTHS.length;
            for (int i = 0; i < this.rows; i++) {
                int a = random.nextInt(n);
                int b = (a + 1 + random.nextInt(n - 1)) % n;
                boolean aWins = random.nextDouble() < BradleyTerry.sigmoid(STRENGTHS[a] - STRENGTHS[b]);
                rows.add(new Object[] {model(a), model(b), aWins ? "model_a" : "model_b"});
            }
            return rows;
        }
    }

    static double rating(double theta) {
        return SCALE * theta / Math.log(10) + BASE;
    }

    static List<Coverage> run(CoverageBenchmark.Context context) {
        String folder = context.folder("battles");
        Replicates.write(context.spark(), new Battles(context.rows(3000)), context.replicates(), context.seed(), folder);
        List<Coverage.Tally> tallies = new ArrayList<>();
        for (int i = 0; i < STRENGTHS.length; i++) {
            double truth = rating(STRENGTHS[i]);
            tallies.add(new Coverage.Tally(format("leaderboard rating %s (θ = %s)", model(i), STRENGTHS[i]),
                    format("400·θ/ln 10 + 1000 = %.3f", truth), truth));
        }
        for (int replicate = 0; replicate < context.replicates(); replicate++) {
            LeaderboardJob.Result result = new LeaderboardJob(new LeaderboardJob.Settings(Replicates.path(folder, replicate),
                    context.out("leaderboard-" + Replicates.input(replicate)), 0, SCALE, BASE, Optional.empty(), BOOTSTRAP,
                    context.seed(), false)).run(context.spark());
            for (int i = 0; i < STRENGTHS.length; i++) {
                String name = model(i);
                Optional<Standing> standing = result.standings().stream().filter(s -> s.model().equals(name)).findFirst();
                tallies.get(i).add(standing.filter(s -> Double.isFinite(s.lower()) && Double.isFinite(s.upper()))
                        .map(s -> List.of(s.lower(), s.upper())).orElse(null));
            }
        }
        return tallies.stream().map(tally -> tally.coverage(context.nominal())).toList();
    }
}
