package dev.peregrine.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * {@code --hotkeys}: walks the keyspace with SCAN, asks {@code OBJECT FREQ} of each key (pipelined per batch; the
 * server must run an LFU maxmemory policy) and keeps the 16 hottest keys in a sorted pool, printing each key that
 * enters the pool and then the pool, hottest first, in redis-cli's words and layout.
 *
 * <p>Single-threaded.
 */
final class HotKeys {
    private static final int POOL = 16;

    private final Connection conn;
    private final OutputStream out;
    private final PrintStream err;
    private final byte[] pattern;
    private final long intervalMicros;

    HotKeys(Connection conn, OutputStream out, PrintStream err, byte[] pattern, long intervalMicros) {
        this.conn = conn;
        this.out = out;
        this.err = err;
        this.pattern = pattern;
        this.intervalMicros = intervalMicros;
    }

    private void print(String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Runs the walk; returns the exit code. */
    int run() throws IOException {
        Reply dbsize = conn.callStrings("DBSIZE");
        if (dbsize.type != Reply.INTEGER) {
            err.println("Couldn't determine DBSIZE: " + dbsize.text());
            return 1;
        }
        long totalKeys = dbsize.integer;
        print("\n# Scanning the entire keyspace to find hot keys as well as\n"
                + "# average sizes per key type.  You can use -i 0.1 to sleep 0.1 sec\n"
                + "# per 100 SCAN commands (not usually needed).\n\n");
        long[] counters = new long[POOL];
        String[] hot = new String[POOL];
        long sampled = 0;
        long loops = 0;
        String cursor = "0";
        do {
            double pct = 100 * (double) sampled / totalKeys;
            Reply r = KeySizes.scanStep(conn, cursor, pattern, out, err);
            if (r == null) {
                return 1;
            }
            loops++;
            cursor = r.elements[0].text();
            Reply[] keys = r.elements[1].elements;
            ReplyFormatter.Buf batch = new ReplyFormatter.Buf();
            for (Reply key : keys) {
                batch.bytes(Connection.encode(List.of(b("OBJECT"), b("FREQ"), key.str)));
            }
            conn.write(batch.toByteArray());
            long[] freqs = new long[keys.length];
            for (int i = 0; i < keys.length; i++) {
                Reply f = conn.read();
                if (f.type == Reply.ERROR) {
                    out.flush();
                    err.println("Error: " + f.text());
                    return 1;
                }
                freqs[i] = f.type == Reply.INTEGER ? f.integer : 0;
            }
            for (int i = 0; i < keys.length; i++) {
                sampled++;
                if (sampled % 1_000_000 == 0) {
                    print(String.format(Locale.ROOT, "[%05.2f%%] Sampled %d keys so far\n", pct, sampled));
                }
                // the pool is sorted coldest first: find the last slot this key beats
                int k = 0;
                while (k < POOL && freqs[i] > counters[k]) {
                    k++;
                }
                if (k == 0) {
                    continue;
                }
                k--;
                if (k != 0 && counters[k] != 0) {
                    System.arraycopy(counters, 1, counters, 0, k);
                    System.arraycopy(hot, 1, hot, 0, k);
                }
                counters[k] = freqs[i];
                ReplyFormatter.Buf repr = new ReplyFormatter.Buf();
                ReplyFormatter.repr(keys[i].str, repr);
                hot[k] = repr.toString(StandardCharsets.ISO_8859_1);
                print(String.format(Locale.ROOT, "[%05.2f%%] Hot key '%s' found so far with counter %d\n", pct,
                        hot[k], freqs[i]));
            }
            out.flush();
            if (intervalMicros > 0 && loops % 100 == 0) {
                try {
                    Thread.sleep(intervalMicros / 1000, (int) (intervalMicros % 1000) * 1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return 1;
                }
            }
        } while (!cursor.equals("0"));
        print("\n-------- summary -------\n\n");
        print("Sampled " + sampled + " keys in the keyspace!\n");
        for (int k = POOL - 1; k >= 0; k--) {
            if (counters[k] > 0) {
                print("hot key found with counter: " + counters[k] + "\tkeyname: " + hot[k] + "\n");
            }
        }
        out.flush();
        return 0;
    }
}
