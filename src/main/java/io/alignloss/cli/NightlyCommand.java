package io.alignloss.cli;

import io.alignloss.config.ConfigLoader;
import io.alignloss.config.JobConfig;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import io.alignloss.error.Failures;
import io.alignloss.job.EvaluateJob;
import io.alignloss.job.NightlyRuns;
import io.alignloss.job.SparkSessions;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.File;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** What jobs/nightly-eval.sh runs: the evaluation of one date, published at output.path/run_date=DATE. */
@Command(name = "nightly", mixinStandardHelpOptions = true,
        footer = {"", "Example (from the project root):",
                "  alignloss nightly --config conf/nightly-samples.conf --date 2026-11-24 \\", "      --set output.path=out/nightly"},
        description = "Evaluate the configured datasets for a date (input paths may contain $${run_date}) into "
                + "<output.path>/run_date=YYYY-MM-DD/, replacing that date's earlier output atomically, with drift against "
                + "the newest earlier date that finished. Exit 0 ok, 2 config/schema, 3 rejects, 4 drift threshold, 1 other.")
final class NightlyCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(NightlyCommand.class);

    @Option(names = "--config", paramLabel = "FILE", required = true, description = "Job config (HOCON or JSON) with output.path.")
    File config;

    @Option(names = "--date", paramLabel = "YYYY-MM-DD", description = "The run date (default: today).")
    String date;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config key (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Mixin
    RunOptions run;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        LocalDate runDate = date == null ? LocalDate.now() : NightlyRuns.parseDate(date);
        List<String> sets = new ArrayList<>(overrides);
        sets.add("run_date=" + runDate);
        List<String> firstSets = new ArrayList<>(sets);
        firstSets.add("drift.previous=" + NightlyRuns.NO_PREVIOUS); // set for real once output.path is known
        JobConfig first = ConfigLoader.load(config, firstSets, Optional.empty());
        RedactingWriter.install(spec.commandLine(), first.redaction());
        String root = first.outputPath().orElseThrow(() -> new AlignLossException(ErrorCode.CONFIG,
                "Config " + config + ": nightly runs need output.path (each date is published at <output.path>/run_date=YYYY-MM-DD)"));
        String out = NightlyRuns.runFolder(root, runDate);
        EvaluateJob.Result result;
        try (SparkSessions session = SparkSessions.open("alignloss nightly " + runDate, first.spark())) {
            Optional<Path> previous = NightlyRuns.previous(root, runDate, session.spark().sparkContext().hadoopConfiguration());
            LOG.info("nightly run for {} into {}; previous finished run: {}", runDate, out, previous.map(Path::toString).orElse("none"));
            sets.add("drift.previous=" + previous.map(Path::toString).orElse(root + "/" + NightlyRuns.NO_PREVIOUS));
            JobConfig jobConfig = ConfigLoader.load(config, sets, Optional.of(out));
            try {
                result = new EvaluateJob(new EvaluateJob.Settings(jobConfig, out, true, run.maxRejectFraction, run.seed, EvaluateJob.Mode.EVALUATE))
                        .run(session.spark());
            }
            catch (Exception e) { // SparkException is checked; Scala throws it undeclared
                throw Failures.duringRun(e, JobCommand.inputPaths(jobConfig), session.spark().sparkContext().hadoopConfiguration());
            }
        }
        return JobCommand.finish(spec, "nightly " + runDate, result);
    }
}
