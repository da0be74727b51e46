package dev.peregrine.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * {@code --intrinsic-latency <seconds>}: measures this machine's own scheduling latency, with no server: runs a
 * short busy computation over and over for the given time, prints each new worst gap in microseconds, then the
 * run count, the average time per run and how much longer the worst run took, in redis-cli's words.
 *
 * <p>Single-threaded.
 */
final class IntrinsicLatency {
    private final OutputStream out;
    private final long seconds;
    private long sink;

    IntrinsicLatency(OutputStream out, long seconds) {
        this.out = out;
        this.seconds = seconds;
    }

    private static long micros() {
        return System.nanoTime() / 1000;
    }

    /** A little work whose result is kept so the JIT cannot drop it. */
    private void computeSomethingFast() {
        long x = sink;
        for (int i = 0; i < 1000; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            x ^= x >>> 29;
        }
        sink = x;
    }

    int run() throws IOException {
        long runTime = seconds * 1_000_000;
        long testEnd = micros() + runTime;
        long maxLatency = 0;
        long runs = 0;
        while (true) {
            long start = micros();
            computeSomethingFast();
            long end = micros();
            long latency = end - start;
            runs++;
            if (latency <= 0) {
                continue;
            }
            if (latency > maxLatency) {
                maxLatency = latency;
                write("Max latency so far: " + maxLatency + " microseconds.\n");
            }
            if (end > testEnd) {
                double avgUs = (double) runTime / runs;
                write(String.format(Locale.ROOT,
                        "\n%d total runs (avg latency: %.4f microseconds / %.2f nanoseconds per run).\n",
                        runs, avgUs, avgUs * 1e3));
                write(String.format(Locale.ROOT, "Worst run took %.0fx longer than the average latency.\n",
                        maxLatency / avgUs));
                return 0;
            }
        }
    }

    private void write(String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }
}
