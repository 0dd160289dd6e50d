package io.alignloss.bench;

import io.alignloss.lm.LanguageModel;
import io.alignloss.lm.LmLoss;
import io.alignloss.lm.SequenceBlock;
import io.alignloss.optim.Evaluation;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * The timed rounds: every kind of pass (conditional and joint loss and gradient, forward only, the trivial pass of Spark's
 * own cost, one thread without Spark) with the wall, task CPU and task run seconds of each, and the kernel's rate per round.
 */
final class LmRounds {
    private static final Logger LOG = LoggerFactory.getLogger(LmBenchmark.class);
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** Per round: wall seconds, and the tasks' summed CPU and run seconds, per pass of one kind. */
    record Timings(double[] wall, double[] cpu, double[] run) {
        Timings(int rounds) {
            this(new double[rounds], new double[rounds], new double[rounds]);
        }

        double best() {
            return Arrays.stream(wall).min().orElseThrow();
        }

        double median() {
            return LmRounds.median(wall);
        }

        double bestCpu() {
            return Arrays.stream(cpu).min().orElseThrow();
        }

        /** The tasks' run seconds in the fastest round. */
        double bestRun() {
            return run[fastest(wall)];
        }
    }

    /** What the rounds measured: the kernel's rate, each kind of pass, one thread without Spark, and the last evaluation of each mode. */
    record Rounds(LmKernel.Rate[] rates, Map<String, Timings> timings, Timings single, Evaluation conditional, Evaluation joint) {
    }

    /**
     * One warm-up pass of each kind, then {@code repeat} rounds, each measuring the kernel's rate, {@code passes} passes of each
     * kind (conditional and joint loss and gradient, conditional forward only, trivial) and one conditional pass on this thread.
     */
    static Rounds rounds(SparkContext context, LmBenchmark.Prepared prepared, double[] x, LmBenchmark.Settings settings) {
        // the blocks are the benchmark's own rows (a few MB): the one-thread pass reads them on the driver
        List<SequenceBlock> local = prepared.blocks().collect();
        LanguageModel model = prepared.structure().withWeights(x);
        Evaluation[] last = new Evaluation[2];
        Map<String, Runnable> kinds = new LinkedHashMap<>();
        kinds.put("conditional", () -> last[0] = prepared.conditional().evaluate(x));
        kinds.put("joint", () -> last[1] = prepared.joint().evaluate(x));
        kinds.put("forward_only", () -> prepared.conditional().measure(x));
        kinds.put("trivial", () -> trivialPass(prepared.blocks(), prepared.structure(), x));
        Map<String, Timings> timings = new LinkedHashMap<>();
        for (Map.Entry<String, Runnable> kind : kinds.entrySet()) {
            timings.put(kind.getKey(), new Timings(settings.repeat()));
            kind.getValue().run(); // warm-up (JIT, first broadcast); in local mode the tasks warm up LmLoss.add for the one-thread pass too
        }
        LmKernel.Rate[] rates = new LmKernel.Rate[settings.repeat()];
        Timings single = new Timings(settings.repeat());
        TaskTime tasks = new TaskTime();
        context.addSparkListener(tasks);
        try {
            for (int r = 0; r < settings.repeat(); r++) {
                rates[r] = LmKernel.rate(model.shape().dimension(), settings.calibrationSeconds(), settings.seed());
                for (Map.Entry<String, Runnable> kind : kinds.entrySet()) {
                    time(timings.get(kind.getKey()), r, settings.passes(), kind.getValue(), context, tasks);
                }
                double[] one = localPass(local, model);
                single.wall()[r] = one[0];
                single.cpu()[r] = one[1];
                LOG.info("bench lm: round {} of {}: kernel {} GFLOP/s; per pass: conditional {} s, joint {} s, forward only {} s, trivial {} s, "
                        + "one thread without Spark {} s", r + 1, settings.repeat(), rates[r].flopsPerSecond() / 1e9,
                        timings.get("conditional").wall()[r], timings.get("joint").wall()[r], timings.get("forward_only").wall()[r],
                        timings.get("trivial").wall()[r], one[0]);
            }
        }
        finally {
            context.removeSparkListener(tasks);
        }
        return new Rounds(rates, timings, single, last[0], last[1]);
    }

    /** A pass that costs what Spark adds to one: broadcast θ, one task per partition over the cached blocks, treeReduce, destroy. */
    static long trivialPass(JavaRDD<SequenceBlock> blocks, LanguageModel structure, double[] x) {
        JavaSparkContext context = JavaSparkContext.fromSparkContext(blocks.context());
        Broadcast<LanguageModel> model = context.broadcast(structure.withWeights(x));
        try {
            return blocks.mapPartitions((Iterator<SequenceBlock> partition) -> {
                long rows = model.value().weights().length > 0 ? 0 : -1;
                while (partition.hasNext()) {
                    rows += partition.next().size();
                }
                return List.of(rows).iterator();
            }).treeReduce(Long::sum, LmBenchmark.TREE_DEPTH);
        }
        finally {
            model.destroy();
        }
    }

    // the fixed cost of a task's gradient: allocate the dense |θ| array and scan it into a sparse one (here all zero: a lower bound)
    static double gradientSetupSeconds(LanguageModel model) {
        double best = Double.POSITIVE_INFINITY;
        for (int r = 0; r < 3; r++) {
            long start = System.nanoTime();
            LmLoss.add(model, Collections.emptyIterator(), false, true, null);
            best = Math.min(best, BenchSupport.seconds(start));
        }
        return best;
    }

    // one conditional loss-and-gradient pass over every block on this thread, no Spark: {wall, CPU} seconds
    static double[] localPass(List<SequenceBlock> blocks, LanguageModel model) {
        long cpu = THREADS.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        LmLoss.add(model, blocks.iterator(), false, true, null);
        return new double[] {BenchSupport.seconds(start), (THREADS.getCurrentThreadCpuTime() - cpu) / 1e9};
    }

    // round r of a kind: wall seconds per pass = wall time of `passes` passes / passes, and likewise the tasks' CPU and run times
    private static void time(Timings timings, int round, int passes, Runnable pass, SparkContext context, TaskTime tasks) {
        drain(context);
        long cpu = tasks.cpuNanos.get();
        long run = tasks.runMillis.get();
        long start = System.nanoTime();
        for (int p = 0; p < passes; p++) {
            pass.run();
        }
        timings.wall()[round] = BenchSupport.seconds(start) / passes;
        drain(context);
        timings.cpu()[round] = (tasks.cpuNanos.get() - cpu) / 1e9 / passes;
        timings.run()[round] = (tasks.runMillis.get() - run) / 1e3 / passes;
    }

    private static void drain(SparkContext context) {
        try {
            context.listenerBus().waitUntilEmpty();
        }
        catch (TimeoutException e) {
            throw new IllegalStateException("Cannot time bench lm: Spark's listener bus did not drain", e);
        }
    }

    static int fastest(double[] seconds) {
        int fastest = 0;
        for (int r = 1; r < seconds.length; r++) {
            fastest = seconds[r] < seconds[fastest] ? r : fastest;
        }
        return fastest;
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }


    private LmRounds() {
    }
}
