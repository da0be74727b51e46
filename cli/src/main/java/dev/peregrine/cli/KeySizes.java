package dev.peregrine.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code --bigkeys} and {@code --memkeys}: walks the keyspace with SCAN, asks each key's TYPE and then its size
 * (STRLEN, LLEN, SCARD, HLEN, ZCARD, XLEN; or {@code MEMORY USAGE} for {@code --memkeys}), both pipelined per SCAN
 * batch, and prints the biggest key of each type as found, then a summary, in redis-cli's words and layout.
 *
 * <p>redis-cli lists the types of the summary in its hash table's order, which depends on how many type lookups
 * it made (its table is still rehashing after creation); the three orders it can print are reproduced.
 *
 * <p>Single-threaded.
 */
final class KeySizes {
    /** Per type: name, size command, unit. */
    private static final class TypeInfo {
        final String name;
        final String sizeCommand;
        final String unit;
        long biggest;
        String biggestKey;
        long count;
        long total;

        TypeInfo(String name, String sizeCommand, String unit) {
            this.name = name;
            this.sizeCommand = sizeCommand;
            this.unit = unit;
        }
    }

    private final Connection conn;
    private final OutputStream out;
    private final PrintStream err;
    private final boolean memkeys;
    private final int memkeysSamples;
    private final byte[] pattern;
    private final long intervalMicros;
    private final Map<String, TypeInfo> types = new LinkedHashMap<>();
    private long lookups;

    KeySizes(Connection conn, OutputStream out, PrintStream err, boolean memkeys, int memkeysSamples, byte[] pattern,
             long intervalMicros) {
        this.conn = conn;
        this.out = out;
        this.err = err;
        this.memkeys = memkeys;
        this.memkeysSamples = memkeysSamples;
        this.pattern = pattern;
        this.intervalMicros = intervalMicros;
        for (TypeInfo t : new TypeInfo[] {
                new TypeInfo("string", "STRLEN", "bytes"), new TypeInfo("list", "LLEN", "items"),
                new TypeInfo("set", "SCARD", "members"), new TypeInfo("hash", "HLEN", "fields"),
                new TypeInfo("zset", "ZCARD", "members"), new TypeInfo("stream", "XLEN", "entries")}) {
            types.put(t.name, t);
        }
    }

    private void print(String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    /**
     * One {@code SCAN cursor [MATCH pattern]} of the key-scanning modes (--bigkeys, --memkeys, --hotkeys).
     *
     * @return the reply, or null after printing redis-cli's "SCAN error" for an error reply
     */
    static Reply scanStep(Connection conn, String cursor, byte[] pattern, OutputStream out, PrintStream err)
            throws IOException {
        List<byte[]> scan = new ArrayList<>(List.of(b("SCAN"), b(cursor)));
        if (pattern != null) {
            scan.add(b("MATCH"));
            scan.add(pattern);
        }
        Reply r = conn.call(scan);
        if (r.type == Reply.ERROR) {
            out.flush();
            err.println("SCAN error: " + r.text());
            return null;
        }
        return r;
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
        print("\n# Scanning the entire keyspace to find biggest keys as well as\n"
                + "# average sizes per key type.  You can use -i 0.1 to sleep 0.1 sec\n"
                + "# per 100 SCAN commands (not usually needed).\n\n");
        long sampled = 0;
        long totalKeyLength = 0;
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
            TypeInfo[] keyTypes = new TypeInfo[keys.length];
            ReplyFormatter.Buf batch = new ReplyFormatter.Buf();
            for (Reply key : keys) {
                batch.bytes(Connection.encode(List.of(b("TYPE"), key.str)));
            }
            conn.write(batch.toByteArray());
            for (int i = 0; i < keys.length; i++) {
                Reply t = conn.read();
                if (t.type == Reply.ERROR) {
                    out.flush();
                    err.println("TYPE returned an error: " + t.text());
                    return 1;
                }
                String name = t.text();
                if (name.equals("none")) {
                    continue;
                }
                lookups++;
                keyTypes[i] = types.computeIfAbsent(name, n -> new TypeInfo(n, null, "units"));
            }
            batch.reset();
            for (int i = 0; i < keys.length; i++) {
                TypeInfo t = keyTypes[i];
                if (t == null || (!memkeys && t.sizeCommand == null)) {
                    continue;
                }
                List<byte[]> cmd = memkeys ? new ArrayList<>(List.of(b("MEMORY"), b("USAGE"), keys[i].str))
                        : new ArrayList<>(List.of(b(t.sizeCommand), keys[i].str));
                if (memkeys && memkeysSamples > 0) {
                    cmd.add(b("SAMPLES"));
                    cmd.add(b(Integer.toString(memkeysSamples)));
                }
                batch.bytes(Connection.encode(cmd));
            }
            conn.write(batch.toByteArray());
            long[] sizes = new long[keys.length];
            for (int i = 0; i < keys.length; i++) {
                TypeInfo t = keyTypes[i];
                if (t == null || (!memkeys && t.sizeCommand == null)) {
                    continue;
                }
                Reply s = conn.read();
                if (s.type == Reply.ERROR) {
                    out.flush();
                    err.println("Error getting size for key '" + keys[i].text() + "' (" + s.text() + ")");
                    return 1;
                }
                sizes[i] = s.type == Reply.INTEGER ? s.integer : 0;
            }
            for (int i = 0; i < keys.length; i++) {
                TypeInfo t = keyTypes[i];
                if (t == null) {
                    continue;
                }
                t.total += sizes[i];
                t.count++;
                totalKeyLength += keys[i].str.length;
                sampled++;
                if (t.biggest < sizes[i]) {
                    ReplyFormatter.Buf repr = new ReplyFormatter.Buf();
                    ReplyFormatter.repr(keys[i].str, repr);
                    t.biggestKey = repr.toString(StandardCharsets.ISO_8859_1);
                    print(f("[%05.2f%%] Biggest %-6s found so far '%s' with %d %s\n", pct, t.name, t.biggestKey,
                            sizes[i], memkeys ? "bytes" : t.unit));
                    t.biggest = sizes[i];
                }
                if (sampled % 1_000_000 == 0) {
                    print(f("[%05.2f%%] Sampled %d keys so far\n", pct, sampled));
                }
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
        print(f("Sampled %d keys in the keyspace!\n", sampled));
        print(f("Total key length in bytes is %d (avg len %.2f)\n\n", totalKeyLength,
                totalKeyLength != 0 ? (double) totalKeyLength / sampled : 0.0));
        List<TypeInfo> order = summaryOrder();
        for (TypeInfo t : order) {
            if (t.biggestKey != null) {
                print(f("Biggest %6s found '%s' has %d %s\n", t.name, t.biggestKey, t.biggest,
                        memkeys ? "bytes" : t.unit));
            }
        }
        print("\n");
        for (TypeInfo t : order) {
            print(f("%d %ss with %d %s (%05.2f%% of keys, avg size %.2f)\n", t.count, t.name, t.total,
                    memkeys ? "bytes" : t.unit, sampled != 0 ? 100 * (double) t.count / sampled : 0.0,
                    t.count != 0 ? (double) t.total / t.count : 0.0));
        }
        out.flush();
        return 0;
    }

    /** The six built-in types in redis-cli's table order after {@link #lookups} lookups, then any others. */
    private List<TypeInfo> summaryOrder() {
        String[] names = lookups == 0 ? new String[] {"hash", "list", "string", "stream", "set", "zset"}
                : lookups == 1 ? new String[] {"string", "list", "hash", "stream", "set", "zset"}
                : new String[] {"list", "hash", "string", "stream", "set", "zset"};
        List<TypeInfo> order = new ArrayList<>();
        for (String n : names) {
            order.add(types.get(n));
        }
        for (TypeInfo t : types.values()) {
            if (!order.contains(t)) {
                order.add(t);
            }
        }
        return order;
    }
}
