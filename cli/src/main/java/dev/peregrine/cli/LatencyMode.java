package dev.peregrine.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * {@code --latency} and {@code --latency-history}: sends PING every 10 ms and tracks the round trip in whole
 * milliseconds (min, max, average, samples), printed as redis-cli prints them: on a terminal one line rewritten in
 * place, forever; otherwise ({@code --raw}, {@code --csv}, {@code --json}, a pipe) {@code --latency} samples for one
 * interval ({@code -i}, default 1 s), prints one line and exits, while {@code --latency-history} prints a line per
 * sample and starts a new range every interval (default 15 s).
 *
 * <p>Single-threaded.
 */
final class LatencyMode {
    private final Connection conn;
    private final OutputStream out;
    private final PrintStream err;
    private final CliOptions.Output output;
    private final boolean history;
    private final long intervalMicros;

    LatencyMode(Connection conn, OutputStream out, PrintStream err, CliOptions.Output output, boolean history,
                long intervalMicros) {
        this.conn = conn;
        this.out = out;
        this.err = err;
        this.output = output;
        this.history = history;
        this.intervalMicros = intervalMicros;
    }

    private static long ms() {
        return System.nanoTime() / 1_000_000;
    }

    /** Runs until the interval ends (non-terminal {@code --latency}) or forever; returns the exit code. */
    int run() throws IOException {
        long historyInterval = intervalMicros != 0 ? intervalMicros / 1000 : 15_000;
        long interval = intervalMicros == 0 ? 1000 : intervalMicros / 1000;
        long historyStart = ms();
        long min = 0;
        long max = 0;
        long total = 0;
        long count = 0;
        double avg;
        while (true) {
            long start = ms();
            try {
                conn.callStrings("PING");
            } catch (IOException e) {
                out.flush();
                err.println("\nI/O error");
                return 1;
            }
            long latency = ms() - start;
            count++;
            if (count == 1) {
                min = max = total = latency;
                avg = latency;
            } else {
                min = Math.min(min, latency);
                max = Math.max(max, latency);
                total += latency;
                avg = (double) total / count;
            }
            if (output == CliOptions.Output.STANDARD) {
                write("\u001b[0G\u001b[2K");
                print(min, max, avg, count);
            } else if (history) {
                print(min, max, avg, count);
            } else if (ms() - historyStart > interval) {
                print(min, max, avg, count);
                out.flush();
                return 0;
            }
            if (history && ms() - historyStart > historyInterval) {
                write(String.format(Locale.ROOT, " -- %.2f seconds range\n", (ms() - historyStart) / 1000.0f));
                historyStart = ms();
                min = max = total = count = 0;
            }
            out.flush();
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            }
        }
    }

    private void write(String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.US_ASCII));
    }

    private void print(long min, long max, double avg, long count) throws IOException {
        switch (output) {
            case STANDARD:
                write(String.format(Locale.ROOT, "min: %d, max: %d, avg: %.2f (%d samples)", min, max, avg, count));
                break;
            case CSV:
                write(String.format(Locale.ROOT, "%d,%d,%.2f,%d\n", min, max, avg, count));
                break;
            case RAW:
                write(String.format(Locale.ROOT, "%d %d %.2f %d\n", min, max, avg, count));
                break;
            case JSON:
                write(String.format(Locale.ROOT, "{\"min\": %d, \"max\": %d, \"avg\": %.2f, \"count\": %d}\n", min,
                        max, avg, count));
                break;
            default:
                // redis-cli prints nothing for --quoted-json
        }
    }
}
