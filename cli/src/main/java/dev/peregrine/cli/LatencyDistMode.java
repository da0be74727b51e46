package dev.peregrine.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * {@code --latency-dist}: sends PING every 10 ms, counts each round trip (in microseconds) into one of 31 buckets,
 * and every interval ({@code -i}, default 1 s) prints one row: a character per bucket ({@code . - * #} for up to
 * 10, 125, 250, 500 us, {@code 1}-{@code 9} for up to 1-9 ms, {@code A}-{@code E} for up to 10-50 ms, {@code F}-{@code J}
 * for up to 0.1-0.5 s, {@code K}-{@code Q} for up to 1, 2, 4, 8, 16, 30, 60 s, {@code ?} beyond) on a 256-colour
 * background whose shade grows with the bucket's share of the row's samples, as redis-cli draws it (colour palette,
 * or grey with {@code --mono}). A legend comes before the first row and every 20 rows. The output is the same
 * whether or not stdout is a terminal. When the connection drops it prints {@code Reconnecting... N} once a second
 * until a new connection answers.
 *
 * <p>Single-threaded.
 */
final class LatencyDistMode {
    /** redis-cli's palettes: xterm 256-colour indexes from no samples to all of them. */
    static final int[] COLOR = {0, 233, 234, 235, 237, 239, 241, 243, 245, 247, 144, 143, 142, 184, 226, 214, 208, 202,
        196};
    static final int[] MONO = {0, 233, 234, 235, 237, 239, 241, 243, 245, 247, 249, 251, 253};
    /** Upper bound of each bucket in microseconds; the last one (0) takes everything above. */
    static final long[] BUCKET_MAX = {10, 125, 250, 500, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10000,
        20000, 30000, 40000, 50000, 100000, 200000, 300000, 400000, 500000, 1000000, 2000000, 4000000, 8000000,
        16000000, 30000000, 60000000, 0};
    static final String BUCKET_CHARS = ".-*#123456789ABCDEFGHIJKLMNOPQ?";
    private static final long SAMPLE_MS = 10;

    private Connection conn;
    private final Supplier<Connection> reconnect;
    private final OutputStream out;
    private final PrintStream err;
    private final int[] palette;
    private final long intervalMs;

    /**
     * @param reconnect      opens a new connection set up like the first one, or returns {@code null}
     * @param intervalMicros {@code -i} in microseconds; 0 = one second
     */
    LatencyDistMode(Connection conn, Supplier<Connection> reconnect, OutputStream out, PrintStream err, boolean mono,
                    long intervalMicros) {
        this.conn = conn;
        this.reconnect = reconnect;
        this.out = out;
        this.err = err;
        this.palette = mono ? MONO : COLOR;
        this.intervalMs = intervalMicros != 0 ? intervalMicros / 1000 : 1000;
    }

    /** Runs until interrupted or stdout fails; returns the exit code. */
    int run() throws IOException {
        long[] counts = new long[BUCKET_MAX.length];
        long count = 0;
        int rows = 0;
        long rangeStart = micros();
        while (true) {
            long start = micros();
            ping();
            long latency = micros() - start;
            count++;
            int j = 0;
            while (BUCKET_MAX[j] != 0 && latency > BUCKET_MAX[j]) {
                j++;
            }
            counts[j]++;
            if ((micros() - rangeStart) / 1000 > intervalMs) {
                if (rows++ % 20 == 0) {
                    write(legend(palette));
                }
                write(row(counts, count, palette));
                java.util.Arrays.fill(counts, 0);
                rangeStart = micros();
                count = 0;
            }
            try {
                Thread.sleep(SAMPLE_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            }
        }
    }

    /** PINGs, reconnecting once a second (with a counter on one line) while the server is gone. */
    private void ping() throws IOException {
        int tries = 0;
        while (true) {
            if (conn != null) {
                try {
                    Reply r = conn.callStrings("PING");
                    while (r.type == Reply.PUSH) {
                        r = conn.read();
                    }
                    if (tries > 0) {
                        write("\r\u001b[0K");
                    }
                    return;
                } catch (IOException e) {
                    conn = null;
                }
            }
            write("\r\u001b[0K");
            write("Reconnecting... " + ++tries + "\r");
            conn = reconnect.get();
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PeregrineCli.Exit(1);
            }
        }
    }

    private static long micros() {
        return System.nanoTime() / 1000;
    }

    private void write(String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** The legend: what each character stands for and the palette from 0 to 100%. */
    static String legend(int[] palette) {
        StringBuilder sb = new StringBuilder();
        String rule = "---------------------------------------------\n";
        sb.append(rule);
        sb.append(". - * #          .01 .125 .25 .5 milliseconds\n");
        sb.append("1,2,3,...,9      from 1 to 9     milliseconds\n");
        sb.append("A,B,C,D,E        10,20,30,40,50  milliseconds\n");
        sb.append("F,G,H,I,J        .1,.2,.3,.4,.5       seconds\n");
        sb.append("K,L,M,N,O,P,Q,?  1,2,4,8,16,30,60,>60 seconds\n");
        sb.append("From 0 to 100%: ");
        for (int c : palette) {
            sb.append("\u001b[48;5;").append(c).append("m ");
        }
        sb.append("\u001b[0m\n");
        sb.append(rule);
        return sb.toString();
    }

    /**
     * One row: black text, each bucket's character on the palette entry {@code ceil(share * (size - 1))}, share
     * computed in single precision as redis-cli does.
     */
    static String row(long[] counts, long total, int[] palette) {
        StringBuilder sb = new StringBuilder("\u001b[38;5;0m");
        for (int j = 0; j < counts.length; j++) {
            int index = (int) Math.ceil((float) counts[j] / (float) total * (palette.length - 1));
            sb.append("\u001b[48;5;").append(palette[index]).append('m').append(BUCKET_CHARS.charAt(j));
        }
        sb.append("\u001b[0m\n");
        return sb.toString();
    }
}
