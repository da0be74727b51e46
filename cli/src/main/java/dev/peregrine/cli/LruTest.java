package dev.peregrine.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * {@code --lru-test <keys>}: a cache workload for testing eviction. Each second it runs batches of 250 pipelined
 * SETs of 5-letter values and 250 pipelined GETs on keys {@code lru:<n>}, n drawn from a power-law distribution
 * over 1..keys (a few keys get most accesses), then prints the gets per second with the hit and miss ratios, as
 * redis-cli does. Runs until interrupted or the connection or the output fails.
 *
 * <p>Single-threaded.
 */
final class LruTest {
    private static final int BATCH = 250;
    private static final double ALPHA = 6.2;

    private final Connection conn;
    private final OutputStream out;
    private final PrintStream err;
    private final long keys;
    private final Random random = new Random();

    LruTest(Connection conn, OutputStream out, PrintStream err, long keys) {
        this.conn = conn;
        this.out = out;
        this.err = err;
        this.keys = keys;
    }

    /** A number in [min, max], most often near min: inverse transform of a power law with exponent ALPHA. */
    private long powerLaw(long min, long max) {
        double top = max + 1;
        double r = random.nextDouble();
        double pl = Math.pow((Math.pow(top, ALPHA + 1) - Math.pow(min, ALPHA + 1)) * r + Math.pow(min, ALPHA + 1),
                1.0 / (ALPHA + 1));
        return (max - (long) pl) + min;
    }

    private byte[] key() {
        return ("lru:" + powerLaw(1, keys)).getBytes(StandardCharsets.US_ASCII);
    }

    int run() throws IOException {
        byte[] set = "SET".getBytes(StandardCharsets.US_ASCII);
        byte[] get = "GET".getBytes(StandardCharsets.US_ASCII);
        while (true) {
            long start = System.nanoTime();
            long hits = 0;
            long misses = 0;
            try {
                while (System.nanoTime() - start < 1_000_000_000L) {
                    ReplyFormatter.Buf batch = new ReplyFormatter.Buf();
                    for (int i = 0; i < BATCH; i++) {
                        byte[] value = new byte[5];
                        for (int j = 0; j < 5; j++) {
                            value[j] = (byte) ('A' + random.nextInt('z' - 'A'));
                        }
                        batch.bytes(Connection.encode(List.of(set, key(), value)));
                    }
                    conn.write(batch.toByteArray());
                    for (int i = 0; i < BATCH; i++) {
                        conn.skip();
                    }
                    batch.reset();
                    for (int i = 0; i < BATCH; i++) {
                        batch.bytes(Connection.encode(List.of(get, key())));
                    }
                    conn.write(batch.toByteArray());
                    for (int i = 0; i < BATCH; i++) {
                        Reply r = conn.read();
                        if (r.type == Reply.ERROR) {
                            out.write(r.str);
                            out.write('\n');
                        } else if (r.type == Reply.NULL) {
                            misses++;
                        } else {
                            hits++;
                        }
                    }
                }
            } catch (IOException e) {
                out.flush();
                err.println("I/O error during LRU test");
                return 1;
            }
            long total = hits + misses;
            out.write(String.format(Locale.ROOT, "%d Gets/sec | Hits: %d (%.2f%%) | Misses: %d (%.2f%%)\n", total,
                    hits, (double) hits / total * 100, misses, (double) misses / total * 100)
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
    }
}
