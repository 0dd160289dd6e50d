package io.alignloss.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The calibration kernel: the model's own inner loops in a plain single-threaded Java loop, timed for the arithmetic rate
 * this machine reaches (per wall and per CPU second) and the cost of Math.exp.
 */
final class LmKernel {
    /** Rows of the calibration kernel: about as many as the class rows one position touches, and cache-resident like them. */
    static final int KERNEL_ROWS = 128;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static volatile double sink;

    /** The single-threaded rate of the calibration kernel per wall second and per CPU second, and the cost of Math.exp. */
    record Rate(double flopsPerSecond, double flopsPerCpuSecond, double secondsPerExp) {
    }

    /**
     * The calibration kernel, the model's own inner loops on {@link #KERNEL_ROWS} rows of a flat array: per row
     * z = W_r·h (2d FLOPs), then g_r += δ·h and dh += δ·W_r (4d FLOPs); returns Σ z so that nothing is dead code.
     */
    static double kernel(double[] w, double[] g, double[] h, double[] dh, double scale) {
        int d = h.length;
        int rows = w.length / d;
        double checksum = 0;
        for (int r = 0; r < rows; r++) {
            int row = r * d;
            double z = 0;
            for (int j = 0; j < d; j++) {
                z += w[row + j] * h[j];
            }
            double delta = scale * z;
            for (int j = 0; j < d; j++) {
                g[row + j] += delta * h[j];
                dh[j] += delta * w[row + j];
            }
            checksum += z;
        }
        return checksum;
    }

    // rate = calls · rows · 6d / seconds (wall and this thread's CPU), one thread, after a JIT warm-up of a fifth of the time
    static Rate rate(int dimension, double seconds, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] w = new double[KERNEL_ROWS * dimension];
        double[] g = new double[w.length];
        double[] h = new double[dimension];
        double[] dh = new double[dimension];
        for (int i = 0; i < w.length; i++) {
            w[i] = 0.01 * (random.nextDouble() - 0.5);
        }
        for (int j = 0; j < dimension; j++) {
            h[j] = 0.1 * (random.nextDouble() - 0.5);
        }
        runKernel(w, g, h, dh, seconds / 5);
        long cpu = THREADS.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        double flops = runKernel(w, g, h, dh, seconds) * (double) KERNEL_ROWS * 6 * dimension;
        double wall = BenchSupport.seconds(start);
        double cpuSeconds = (THREADS.getCurrentThreadCpuTime() - cpu) / 1e9;
        return new Rate(flops / wall, flops / cpuSeconds, secondsPerExp(seconds / 4, h));
    }

    private static long runKernel(double[] w, double[] g, double[] h, double[] dh, double seconds) {
        long calls = 0;
        double checksum = 0;
        long end = System.nanoTime() + (long) (seconds * 1e9);
        do {
            for (int i = 0; i < 256; i++) {
                checksum += kernel(w, g, h, dh, 1e-3);
            }
            calls += 256;
        } while (System.nanoTime() < end);
        sink = checksum + g[0] + dh[0];
        return calls;
    }

    // seconds per Math.exp, as the softmax calls it (exp(v_i − max) over a vector of logits)
    private static double secondsPerExp(double seconds, double[] values) {
        long calls = 0;
        double sum = 0;
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        do {
            for (int i = 0; i < 4096; i++) {
                double shift = i * 1e-6;
                for (double value : values) {
                    sum += Math.exp(value - shift);
                }
            }
            calls += 4096L * values.length;
        } while (System.nanoTime() < end);
        sink = sum;
        return BenchSupport.seconds(start) / calls;
    }

    // best rate: the highest kernel rate per wall second and per CPU second, the cheapest exp, over the rounds
    static Rate best(Rate[] rates) {
        return new Rate(Arrays.stream(rates).mapToDouble(Rate::flopsPerSecond).max().orElseThrow(),
                Arrays.stream(rates).mapToDouble(Rate::flopsPerCpuSecond).max().orElseThrow(),
                Arrays.stream(rates).mapToDouble(Rate::secondsPerExp).min().orElseThrow());
    }


    private LmKernel() {
    }
}
