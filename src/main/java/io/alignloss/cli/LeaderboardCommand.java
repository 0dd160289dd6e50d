package io.alignloss.cli;

import io.alignloss.config.ConfigName;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import io.alignloss.error.Failures;
import io.alignloss.job.SparkSessions;
import io.alignloss.leaderboard.Anchor;
import io.alignloss.leaderboard.LeaderboardJob;
import io.alignloss.leaderboard.Ties;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code alignloss leaderboard}: item-level Bradley-Terry ratings (Chatbot-Arena style) from pairwise battles. */
@Command(name = "leaderboard", mixinStandardHelpOptions = true,
        description = "Fit Bradley-Terry ratings (Elo scale) of models from Parquet battles (model_a, model_b, winner); "
                + "writes leaderboard.csv, leaderboard.json and rejects/ to the output folder.")
public final class LeaderboardCommand implements Callable<Integer> {
    @Option(names = "--battles", paramLabel = "PATH", required = true,
            description = "Parquet battles with string columns model_a, model_b, winner (model_a, model_b, tie, tie (bothbad)).")
    String battles;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Output folder (any Hadoop file system URI).")
    String out;

    @Option(names = "--l2", paramLabel = "λ", defaultValue = "0",
            description = "L2 penalty (λ/2)·||θ||² on the mean loss; 0 centres the ratings on --base (default: ${DEFAULT-VALUE}).")
    double l2;

    @Option(names = "--scale", paramLabel = "S", defaultValue = "400", description = "Rating points per factor 10 in odds (default: ${DEFAULT-VALUE}).")
    double scale;

    @Option(names = "--base", paramLabel = "B", defaultValue = "1000", description = "Rating of θ = 0, the mean without --l2 (default: ${DEFAULT-VALUE}).")
    double base;

    @Option(names = "--anchor", paramLabel = "MODEL=RATING", description = "Shift all ratings so that MODEL has RATING.")
    String anchor;

    @Option(names = "--bootstrap", paramLabel = "N", defaultValue = "100",
            description = "Bootstrap rounds for the 95%% percentile intervals; 0 disables them (default: ${DEFAULT-VALUE}).")
    int bootstrap;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Random seed of the bootstrap (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--style", paramLabel = "F[,F…]", split = ",",
            description = "Style control: features from numeric columns a_F, b_F, or counted in the text columns response_a, "
                    + "response_b (length, markdown, markdown_headers, markdown_list_items, markdown_bold); the ratings are "
                    + "then fitted with P(a beats b) = σ(θa − θb + γ·s), the raw ones beside them.")
    java.util.List<String> style = new java.util.ArrayList<>();

    @Option(names = "--ties", paramLabel = "MODEL", defaultValue = "half",
            description = "half: a tie is half a win for each side; rao-kupper: a tie is its own outcome with fitted ν ≥ 1 "
                    + "(default: ${DEFAULT-VALUE}).")
    String ties;

    @Mixin
    OverwriteOptions overwrite;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Optional<Anchor> parsedAnchor = Optional.ofNullable(anchor).map(Anchor::parse);
        Ties parsedTies = ConfigName.find(Ties.class, ties).orElseThrow(() -> new AlignLossException(ErrorCode.USAGE,
                String.format("Invalid --ties '%s' (valid: %s)", ties, ConfigName.valid(Ties.class))));
        LeaderboardJob.Settings settings = new LeaderboardJob.Settings(battles, out, l2, scale, base, parsedAnchor, bootstrap,
                seed, overwrite.overwrite(), style, parsedTies);
        LeaderboardJob.Result result;
        try (SparkSessions session = SparkSessions.open("alignloss leaderboard")) {
            try {
                result = new LeaderboardJob(settings).run(session.spark());
            }
            catch (Exception e) { // SparkException is checked; Scala throws it undeclared
                throw Failures.reading("battles", e); // the file is named by Spark; a write error is not a read error
            }
        }
        // on stdout, where a cron mail or a scheduler's task log shows them, not only in leaderboard.json
        for (String warning : result.warnings()) {
            spec.commandLine().getOut().println("alignloss: warning: " + warning);
        }
        spec.commandLine().getOut().println("alignloss: leaderboard of " + result.standings().size() + " models published at "
                + result.output());
        return 0;
    }
}
