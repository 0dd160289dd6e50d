package io.alignloss.job;

import org.apache.hadoop.conf.Configuration;

import java.time.Instant;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * One run of an evaluation: when it started, what the train run that ends with it hands over, where it runs, and
 * the warnings it collects as it goes (a mutable list, in the order they arise).
 *
 * @param failures the tasks Spark re-ran and the executors lost while it runs
 */
record RunContext(Instant started, EvaluateJob.Extras extras, TaskFailures failures, String masterUrl, Configuration hadoop,
                  List<String> warnings) {
    RunContext {
        requireNonNull(started, "started is null");
        requireNonNull(extras, "extras is null");
        requireNonNull(failures, "failures is null");
        requireNonNull(masterUrl, "masterUrl is null");
        requireNonNull(hadoop, "hadoop is null");
        requireNonNull(warnings, "warnings is null");
    }
}
