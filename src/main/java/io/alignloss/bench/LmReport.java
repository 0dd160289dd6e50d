package io.alignloss.bench;

import io.alignloss.lm.LanguageModel;
import io.alignloss.lm.LmLoss;
import io.alignloss.lm.LmShape;
import io.alignloss.lm.Vocabulary;
import io.alignloss.optim.Evaluation;
import io.alignloss.summary.SummaryJson;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.lang.String.format;

/** The benchmark's figures per mode against the floor, the arithmetic rate, and the printed summary. */
final class LmReport {
    /** The conditional mode's figures, with the forward-only pass and the one-thread pass without Spark. */
    static Map<String, Object> conditionalFigures(LmBenchmark.Prepared prepared, LmRounds.Rounds rounds, int cores) {
        Map<String, Object> figures = mode(prepared.conditionalTargets(), prepared.conditional(), rounds.conditional(),
                rounds.timings().get("conditional"), rounds, prepared.structure(), cores);
        double flops = (Double) figures.get("flops_per_token");
        long positions = prepared.conditionalTargets().positions();
        LmKernel.Rate best = LmKernel.best(rounds.rates());
        figures.put("forward_only_seconds_per_pass", rounds.timings().get("forward_only").best());
        figures.put("single_thread_seconds_per_pass", rounds.single().best());
        // the model's own code on one thread without Spark: measured s/token / (FLOPs/token / rate), in wall and in CPU seconds
        figures.put("single_thread_ratio", rounds.single().best() / positions / (flops / best.flopsPerSecond()));
        figures.put("single_thread_cpu_ratio", rounds.single().bestCpu() / positions / (flops / best.flopsPerCpuSecond()));
        return figures;
    }

    static Map<String, Object> arithmetic(LmKernel.Rate[] rates, LmShape shape, int cores) {
        LmKernel.Rate best = LmKernel.best(rates);
        Map<String, Object> arithmetic = new LinkedHashMap<>();
        arithmetic.put("kernel", format("z = W_r.h, g_r += delta*h, dh += delta*W_r over %d rows of d = %d doubles, one thread",
                LmKernel.KERNEL_ROWS, shape.dimension()));
        arithmetic.put("flops_per_second_per_core", best.flopsPerSecond());
        arithmetic.put("flops_per_second_per_core_median",
                LmRounds.median(Arrays.stream(rates).mapToDouble(LmKernel.Rate::flopsPerSecond).toArray()));
        arithmetic.put("flops_per_cpu_second", best.flopsPerCpuSecond());
        arithmetic.put("seconds_per_exp", best.secondsPerExp());
        arithmetic.put("cores", cores);
        arithmetic.put("all_rounds_flops_per_second", Arrays.stream(rates).mapToDouble(rate -> Math.round(rate.flopsPerSecond() / 1e6) * 1e6).toArray());
        return arithmetic;
    }

    /** The figures of one mode: tokens per pass, FLOPs per token, measured and floor seconds per token, their ratio. */
    static Map<String, Object> mode(LmFlops.Targets targets, LmLoss loss, Evaluation last, LmRounds.Timings timings, LmRounds.Rounds rounds,
            LanguageModel structure, int cores) {
        LmShape shape = structure.shape();
        Vocabulary vocabulary = structure.vocabulary();
        LmRounds.Timings trivial = rounds.timings().get("trivial");
        LmKernel.Rate best = LmKernel.best(rounds.rates());
        double medianRate = LmRounds.median(Arrays.stream(rounds.rates()).mapToDouble(LmKernel.Rate::flopsPerSecond).toArray());
        long tokens = last.figures().get("tokens").longValue();
        double flops = LmFlops.flopsPerToken(shape.features(), shape.dimension(), vocabulary.outputClasses(), targets.meanClassSize());
        double exps = LmFlops.expsPerToken(vocabulary.outputClasses(), targets.meanClassSize());
        double measured = timings.best() / tokens;
        double floor = LmFlops.floorSecondsPerToken(flops, best.flopsPerSecond(), cores);
        // the same floor with each exp at its measured cost instead of 1 FLOP
        double floorWithExps = ((flops - exps) / best.flopsPerSecond() + exps * best.secondsPerExp()) / cores;
        Map<String, Object> mode = new LinkedHashMap<>();
        mode.put("tokens_per_pass", tokens);
        mode.put("scored_positions", loss.totalTokens());
        mode.put("counted_positions", targets.positions());
        mode.put("rare_targets", targets.rare());
        mode.put("mean_class_size", targets.meanClassSize());
        mode.put("flops_per_token", flops);
        mode.put("exps_per_token", exps);
        mode.put("gradient_entries", last.figures().get("gradient_entries").longValue());
        mode.put("seconds_per_pass", timings.best());
        mode.put("seconds_per_pass_median", timings.median());
        mode.put("tokens_per_second", tokens / timings.best());
        mode.put("tokens_per_second_median", tokens / timings.median());
        mode.put("seconds_per_token", measured);
        mode.put("floor_seconds_per_token", floor);
        mode.put("floor_tokens_per_second", 1 / floor);
        mode.put("ratio", measured / floor);
        mode.put("ratio_median", timings.median() / tokens / LmFlops.floorSecondsPerToken(flops, medianRate, cores));
        // the tasks' CPU seconds per token against FLOPs/token / (FLOPs per CPU second)
        mode.put("task_cpu_seconds_per_pass", timings.bestCpu());
        // run time above CPU time: the tasks waited (for a core taken by other work, for GC)
        mode.put("task_run_seconds_per_pass", timings.bestRun());
        // share of the cores the tasks had = task CPU seconds / (wall seconds · cores)
        mode.put("task_core_share", timings.cpu()[LmRounds.fastest(timings.wall())] / (timings.best() * cores));
        mode.put("cpu_ratio", timings.bestCpu() / tokens / (flops / best.flopsPerCpuSecond()));
        mode.put("floor_seconds_per_token_with_exp_cost", floorWithExps);
        mode.put("ratio_with_exp_cost", measured / floorWithExps);
        // the part of a pass that is not Spark's fixed cost, against the same floor
        mode.put("ratio_without_trivial_pass", Math.max(0, timings.best() - trivial.best()) / tokens / floor);
        return mode;
    }

    static double[] rounded(double[] seconds) {
        return Arrays.stream(seconds).map(s -> Math.round(s * 10000) / 10000.0).toArray();
    }

    @SuppressWarnings("unchecked")
    static void print(Map<String, Object> report, PrintWriter out) {
        Map<String, Object> arithmetic = (Map<String, Object>) report.get("arithmetic");
        Map<String, Object> overhead = (Map<String, Object>) report.get("overhead");
        Map<String, Object> adam = (Map<String, Object>) report.get("adam");
        Map<String, Object> conditional = (Map<String, Object>) report.get("conditional");
        out.printf("%,d rows, %,d parameters, %,d kept tokens, %d output classes%n", (Long) report.get("rows"), (Integer) report.get("parameters"),
                (Integer) report.get("kept_tokens"), (Integer) report.get("output_classes"));
        out.printf("arithmetic rate (calibration kernel, one thread): %.2f GFLOP/s per core (median round %.2f) x %d cores; Math.exp %.1f ns%n",
                (Double) arithmetic.get("flops_per_second_per_core") / 1e9, (Double) arithmetic.get("flops_per_second_per_core_median") / 1e9,
                (Integer) arithmetic.get("cores"), (Double) arithmetic.get("seconds_per_exp") * 1e9);
        out.printf("%-12s %10s %9s %10s %12s %12s %7s %8s %7s%n", "mode", "tokens", "s/pass", "tokens/s", "FLOPs/token", "floor tok/s",
                "ratio", "(median)", "CPU");
        for (String name : List.of("conditional", "joint")) {
            Map<String, Object> mode = (Map<String, Object>) report.get(name);
            out.printf("%-12s %,10d %9.3f %,10.0f %,12.0f %,12.0f %7.2f %8.2f %7.2f%n", name, (Long) mode.get("tokens_per_pass"),
                    (Double) mode.get("seconds_per_pass"), (Double) mode.get("tokens_per_second"), (Double) mode.get("flops_per_token"),
                    (Double) mode.get("floor_tokens_per_second"), (Double) mode.get("ratio"), (Double) mode.get("ratio_median"),
                    (Double) mode.get("cpu_ratio"));
        }
        out.printf("forward only (conditional, no gradient): %.3f s per pass; trivial pass (Spark overhead): %.3f s; "
                + "dense gradient setup %.3f s per task%n", (Double) conditional.get("forward_only_seconds_per_pass"),
                (Double) overhead.get("trivial_pass_seconds"), (Double) overhead.get("gradient_setup_seconds_per_task"));
        out.printf("conditional tasks per pass (fastest round): %.3f CPU s, %.3f run s, on %d cores in %.3f wall s: the tasks had %.0f%% "
                + "of the cores (system load average %s)%n", (Double) conditional.get("task_cpu_seconds_per_pass"),
                (Double) conditional.get("task_run_seconds_per_pass"), (Integer) report.get("cores"), (Double) conditional.get("seconds_per_pass"),
                100 * (Double) conditional.get("task_core_share"), report.get("system_load_average"));
        out.printf("one thread without Spark (LmLoss.add over the collected blocks): %.3f s per conditional pass, %.2f x its one-thread floor%n",
                (Double) conditional.get("single_thread_seconds_per_pass"), (Double) conditional.get("single_thread_ratio"));
        out.printf("Adam (lr %s, batch fraction %s): %.3f s per iteration, %,.0f tokens/s%n", adam.get("lr"), adam.get("batch_fraction"),
                (Double) adam.get("seconds_per_iteration"), (Double) adam.get("tokens_per_second"));
        out.println("ratio = measured s/token / floor s/token (best round); floor s/token = FLOPs/token / (rate x cores); " + LmFlops.FLOPS_FORMULA);
        out.print(SummaryJson.render(report));
        out.flush();
    }


    private LmReport() {
    }
}
