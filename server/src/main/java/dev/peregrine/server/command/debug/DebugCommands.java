package dev.peregrine.server.command.debug;

import dev.peregrine.protocol.ReplyWriter;
import dev.peregrine.server.command.CommandContext;
import dev.peregrine.server.command.CommandError;
import dev.peregrine.server.command.CommandTable;
import dev.peregrine.server.command.Errors;
import dev.peregrine.server.exec.Engine;
import dev.peregrine.storage.Database;
import dev.peregrine.storage.Entry;
import dev.peregrine.storage.Numbers;
import dev.peregrine.storage.StringEntry;
import io.netty.channel.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * DEBUG (Redis's debug.c) as tooling and test suites use it: HELP, SLEEP, OBJECT, POPULATE, SET-ACTIVE-EXPIRE,
 * DIGEST, DIGEST-VALUE, PROTOCOL, LOG, RELOAD. Gated by {@code enable-debug-command} ({@code no}, {@code yes}, or
 * {@code local}: loopback clients only) with Redis's refusal text. Executor-only.
 */
public final class DebugCommands {
    private static final Logger log = LoggerFactory.getLogger(DebugCommands.class);
    /** Redis's refusal when {@code enable-debug-command} does not allow the caller. */
    public static final String NOT_ALLOWED = "ERR DEBUG command not allowed. If the enable-debug-command option is "
            + "set to \"local\", you can run it from a local connection, otherwise you need to set this option in "
            + "the configuration file, and then restart the server.";
    private static final String MUST_BE_POSITIVE = "ERR value is out of range, must be positive";
    private static final String[] HELP = {
        "DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "DIGEST",
        "    Output a hex signature representing the current DB content.",
        "DIGEST-VALUE <key> [<key> ...]",
        "    Output a hex signature of the values of all the specified keys.",
        "LOADAOF",
        "    Flush the AOF buffers on disk and reload the AOF in memory.",
        "LOG <message>",
        "    Write <message> to the server log.",
        "OBJECT <key>",
        "    Show low level info about `key` and associated value.",
        "POPULATE <count> [<prefix>] [<size>]",
        "    Create <count> string keys named key:<num>. If <prefix> is specified then",
        "    it is used instead of the 'key' prefix. These are not propagated to",
        "    replicas. Cluster slots are not respected so keys not belonging to the",
        "    current node can be created in cluster mode.",
        "PROTOCOL <type>",
        "    Reply with a test value of the specified type. <type> can be: string,",
        "    integer, double, bignum, null, array, set, map, attrib, push, verbatim,",
        "    true, false.",
        "RELOAD [option ...]",
        "    Save the RDB on disk and reload it back to memory. Valid <option> values:",
        "    * MERGE: conflicting keys will be loaded from RDB.",
        "    * NOFLUSH: the existing database will not be removed before load, but",
        "      conflicting keys will generate an exception and kill the server.",
        "    * NOSAVE: the database will be loaded from an existing RDB file.",
        "    Examples:",
        "    * DEBUG RELOAD: verify that the server is able to persist, flush and reload",
        "      the database.",
        "    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an",
        "      existing RDB file.",
        "    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB",
        "      file to the database.",
        "SET-ACTIVE-EXPIRE <0|1>",
        "    Setting it to 0 disables expiring keys in background when they are not",
        "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
        "    default.",
        "SLEEP <seconds>",
        "    Stop the server for <seconds>. Decimals allowed.",
        "HELP",
        "    Prints this help.",
    };

    private DebugCommands() {
    }

    public static void register(CommandTable t) {
        t.register("debug", DebugCommands::debug);
    }

    static void debug(CommandContext c) {
        if (!allowed(c.engine().config().stringValue("enable-debug-command"), c.client().channel())) {
            throw new CommandError(NOT_ALLOWED);
        }
        // DEBUG changes (POPULATE, RELOAD, LOADAOF) are never propagated, as in Redis
        c.preventPropagation();
        int argc = c.argc();
        String sub = c.argLower(1);
        switch (sub) {
            case "help" -> {
                if (argc == 2) {
                    help(c.reply());
                    return;
                }
            }
            case "sleep" -> {
                if (argc == 3) {
                    sleep(c);
                    return;
                }
            }
            case "object" -> {
                if (argc == 3) {
                    object(c);
                    return;
                }
            }
            case "populate" -> {
                if (argc >= 3 && argc <= 5) {
                    populate(c);
                    return;
                }
            }
            case "set-active-expire" -> {
                if (argc == 3) {
                    c.engine().activeExpireEnabled(atoi(c.arg(2)) != 0);
                    c.reply().ok();
                    return;
                }
            }
            case "digest" -> {
                if (argc == 2) {
                    c.reply().simpleString(DatasetDigest.hex(new DatasetDigest().dataset(c.engine())));
                    return;
                }
            }
            case "digest-value" -> {
                digestValue(c);
                return;
            }
            case "protocol" -> {
                if (argc == 3) {
                    protocol(c);
                    return;
                }
            }
            case "reload" -> {
                reload(c);
                return;
            }
            case "loadaof" -> {
                if (argc == 2) {
                    if (!c.engine().snapshots().reloadAof()) {
                        throw new CommandError("ERR Error loading the AOF file, check server logs.");
                    }
                    for (int i = 0; i < c.engine().databaseCount(); i++) {
                        c.signalWaitedKeys(c.engine().db(i));
                    }
                    c.reply().ok();
                    return;
                }
            }
            case "log" -> {
                if (argc == 3) {
                    log.warn("DEBUG LOG: {}", c.argString(2));
                    c.reply().ok();
                    return;
                }
            }
            default -> {
            }
        }
        throw new CommandError("ERR unknown subcommand or wrong number of arguments for '" + c.argString(1)
                + "'. Try DEBUG HELP.");
    }

    /**
     * DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE]: saves the RDB file (unless NOSAVE), empties the dataset (unless
     * NOFLUSH), and loads the file back, as Redis. With NOFLUSH, a key both in memory and in the file is replaced
     * by the file's with MERGE; without MERGE Redis stops the server there, we answer the load error and change
     * nothing. A failed save answers a bare {@code ERR}; a missing or unreadable file the load error (the dataset
     * then stays flushed, as in Redis).
     */
    static void reload(CommandContext c) {
        boolean merge = false;
        boolean flush = true;
        boolean save = true;
        for (int j = 2; j < c.argc(); j++) {
            if (c.argIs(j, "merge")) {
                merge = true;
            } else if (c.argIs(j, "noflush")) {
                flush = false;
            } else if (c.argIs(j, "nosave")) {
                save = false;
            } else {
                throw new CommandError("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.");
            }
        }
        Engine engine = c.engine();
        long now = System.currentTimeMillis();
        if (save) {
            try {
                engine.snapshots().save(now);
            } catch (java.io.IOException e) {
                throw new CommandError(dev.peregrine.server.command.server.PersistenceCommands.SAVE_FAILED);
            }
        }
        if (flush) {
            for (int i = 0; i < engine.databaseCount(); i++) {
                engine.db(i).clear();
            }
            engine.tracking().invalidateAll(); // as Redis's emptyData: tracking clients drop everything
        }
        dev.peregrine.persistence.rdb.RdbLoader.Result loaded;
        try {
            loaded = engine.snapshots().load(now);
        } catch (java.io.IOException e) {
            log.warn("DEBUG RELOAD: cannot load the RDB file: {}", e.toString());
            throw new CommandError(RELOAD_FAILED);
        }
        Database[] dbs = loaded.databases();
        if (!merge) {
            for (int i = 0; i < dbs.length; i++) {
                Database target = engine.db(i);
                if (target.size() == 0) {
                    continue;
                }
                boolean[] clash = {false};
                dbs[i].forEach(e -> clash[0] |= target.peek(Entry.key(e)) != null);
                if (clash[0]) {
                    log.warn("DEBUG RELOAD: the RDB file has keys already in database {} (use MERGE)", i);
                    throw new CommandError(RELOAD_FAILED);
                }
            }
        }
        for (int i = 0; i < dbs.length; i++) {
            Database target = engine.db(i);
            if (dbs[i].size() == 0) {
                continue;
            }
            if (target.size() == 0) {
                Database.swap(target, dbs[i]);
            } else {
                dbs[i].forEach(e -> target.put(Entry.key(e), e));
            }
            c.signalWaitedKeys(target);
        }
        dev.peregrine.server.script.Scripting.loadFunctions(c.engine(), loaded.functions(), flush);
        log.info("DB reloaded by DEBUG RELOAD");
        c.reply().ok();
    }

    static final String RELOAD_FAILED = "ERR Error trying to load the RDB dump, check server logs.";

    /**
     * Whether {@code setting} ({@code yes}, {@code no}, {@code local}) lets this connection run a protected
     * command: {@code local} admits peers at 127.0.0.1 or ::1 only, as Redis's {@code islocalClient}.
     */
    static boolean allowed(String setting, Channel channel) {
        if ("yes".equals(setting)) {
            return true;
        }
        if (!"local".equals(setting)) {
            return false;
        }
        SocketAddress a = channel.remoteAddress();
        if (!(a instanceof InetSocketAddress i) || i.getAddress() == null) {
            return a != null; // a Unix domain socket counts as local
        }
        String ip = i.getAddress().getHostAddress();
        return ip.equals("127.0.0.1") || ip.equals("::1") || ip.equals("0:0:0:0:0:0:0:1");
    }

    private static void help(ReplyWriter r) {
        r.arrayHeader(HELP.length);
        for (String line : HELP) {
            r.simpleString(line);
        }
    }

    /** SLEEP seconds: blocks the executor, as Redis blocks its event loop; unparsable input sleeps 0 s. */
    private static void sleep(CommandContext c) {
        double seconds = strtod(c.argString(2));
        long micros = (long) (seconds * 1_000_000);
        if (micros > 0) {
            try {
                Thread.sleep(micros / 1000, (int) (micros % 1000) * 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        c.reply().ok();
    }

    /**
     * OBJECT key: Redis's one status line, {@code Value at:<address> refcount:<n> encoding:<enc>
     * serializedlength:<bytes> lru:<clock> lru_seconds_idle:<seconds>}. The address is an identity hash; the
     * serialized length is the value's RDB length (LZF-compressed when {@code rdbcompression} is on), exact for
     * strings, from our encoder for other types.
     */
    private static void object(CommandContext c) {
        Object e = c.db().lookup(c.arg(2), c.now());
        if (e == null) {
            c.engine().stats().keyspaceMisses++;
            throw new CommandError(Errors.NO_SUCH_KEY);
        }
        c.engine().stats().keyspaceHits++;
        String encoding = Entry.encoding(e);
        long refcount = 1;
        long serialized = 0;
        if (e instanceof byte[] s) {
            int off = StringEntry.valueOffset(s);
            int len = StringEntry.valueLength(s);
            if (encoding.equals("int")) {
                long v = Numbers.parseLong(s, off, len);
                if (v >= 0 && v < 10_000) {
                    refcount = Integer.MAX_VALUE; // Redis's shared integer objects
                }
            }
            serialized = RdbLength.string(s, off, len, c.engine().config().boolValue("rdbcompression"));
        } else {
            serialized = serializedLength(e, c.engine().config().boolValue("rdbcompression"));
        }
        int clock = Entry.accessClock(e);
        int nowClock = Engine.lruClock(c.now());
        long idle = nowClock >= clock ? nowClock - clock : (1 << 24) - clock + nowClock;
        c.reply().simpleString("Value at:0x" + Long.toHexString(0x7f0000000000L | System.identityHashCode(e))
                + " refcount:" + refcount + " encoding:" + encoding + " serializedlength:" + serialized
                + " lru:" + clock + " lru_seconds_idle:" + idle);
    }

    /**
     * The RDB length of a non-string value as our writer encodes it (Redis's {@code rdbSavedObjectLen}: the value
     * without its type byte). LZF lengths come from our compressor, so they may differ slightly from Redis's.
     */
    private static long serializedLength(Object e, boolean compression) {
        try {
            dev.peregrine.persistence.rdb.RdbStreamOutput out = new dev.peregrine.persistence.rdb.RdbStreamOutput(
                    java.io.OutputStream.nullOutputStream(), compression, 4096);
            new dev.peregrine.persistence.rdb.RdbEncoder().writeValue(e, out);
            return out.bytesWritten();
        } catch (java.io.IOException | IllegalArgumentException x) {
            return 0;
        }
    }

    /**
     * POPULATE count [prefix] [size]: creates string keys {@code <prefix>:<n>} (prefix {@code key}) with values
     * {@code value:<n>} for n in [0, count), skipping keys that exist; a size pads the value with zero bytes or
     * truncates it to exactly that many bytes. Like Redis, it does not count toward the changes since the last
     * save.
     */
    private static void populate(CommandContext c) {
        long count = positive(c, 2);
        long size = c.argc() == 5 ? positive(c, 4) : 0;
        byte[] prefix = c.argc() >= 4 ? cString(c.arg(3)) : "key".getBytes(StandardCharsets.US_ASCII);
        Database db = c.db();
        int clock = Engine.lruClock(c.now());
        for (long j = 0; j < count; j++) {
            byte[] key = concat(prefix, (":" + j).getBytes(StandardCharsets.US_ASCII));
            if (key.length > 127) {
                key = Arrays.copyOf(key, 127); // Redis formats the name into a 128-byte buffer
            }
            if (db.lookup(key, c.now()) != null) {
                continue;
            }
            byte[] value = ("value:" + j).getBytes(StandardCharsets.US_ASCII);
            if (size > 0) {
                value = Arrays.copyOf(value, (int) Math.min(size, Integer.MAX_VALUE - 64));
            }
            db.put(key, StringEntry.create(key, value, Entry.NO_EXPIRE, clock));
        }
        c.reply().ok();
    }

    private static long positive(CommandContext c, int i) {
        byte[] a = c.arg(i);
        long v = Numbers.parseLong(a, 0, a.length);
        if ((v == Numbers.NOT_A_LONG && !Numbers.isLong(a)) || v < 0) {
            throw new CommandError(MUST_BE_POSITIVE);
        }
        return v;
    }

    /** DIGEST-VALUE key ...: per key, the digest of its value (40 zeros for a missing key), as status replies. */
    private static void digestValue(CommandContext c) {
        DatasetDigest digest = new DatasetDigest();
        ReplyWriter r = c.reply();
        r.arrayHeader(c.argc() - 2);
        for (int i = 2; i < c.argc(); i++) {
            byte[] d = new byte[20];
            Object e = c.db().lookup(c.arg(i), c.now());
            if (e == null) {
                c.engine().stats().keyspaceMisses++;
            } else {
                c.engine().stats().keyspaceHits++;
                digest.mixValue(d, e);
            }
            r.simpleString(DatasetDigest.hex(d));
        }
    }

    /** PROTOCOL type: one reply of the named RESP3 type with Redis's test values, downgraded in RESP2. */
    private static void protocol(CommandContext c) {
        ReplyWriter r = c.reply();
        switch (c.argLower(2)) {
            case "string" -> r.bulk("Hello World");
            case "integer" -> r.integer(12345);
            case "double" -> r.doubleValue("3.141");
            case "bignum" -> r.bigNumber("1234567999999999999999999999999999999");
            case "null" -> r.nullBulk();
            case "array", "set" -> {
                if (c.argIs(2, "set")) {
                    r.setHeader(3);
                } else {
                    r.arrayHeader(3);
                }
                for (int j = 0; j < 3; j++) {
                    r.integer(j);
                }
            }
            case "map" -> {
                r.mapHeader(3);
                for (int j = 0; j < 3; j++) {
                    r.integer(j);
                    r.bool(j == 1);
                }
            }
            case "attrib" -> {
                if (r.attributeHeader(1)) {
                    r.bulk("key-popularity");
                    r.arrayHeader(2);
                    r.bulk("key:123");
                    r.integer(90);
                }
                r.bulk("Some real reply following the attribute");
            }
            case "push" -> {
                if (!r.resp3()) {
                    throw new CommandError("ERR RESP2 is not supported by this command");
                }
                r.pushHeader(2);
                r.bulk("server-cpu-usage");
                r.integer(42);
                r.bulk("Some real reply following the push reply");
            }
            case "verbatim" -> r.verbatim("txt", "This is a verbatim\nstring".getBytes(StandardCharsets.US_ASCII));
            case "true" -> r.bool(true);
            case "false" -> r.bool(false);
            default -> throw new CommandError("ERR Wrong protocol type name. Please use one of the following: "
                    + "string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false");
        }
    }

    // ---------------------------------------------------------------- C-style lenient parsing

    /** C atoi: optional sign and leading digits, 0 when none. */
    static long atoi(byte[] a) {
        int i = 0;
        while (i < a.length && Character.isWhitespace(a[i])) {
            i++;
        }
        boolean neg = false;
        if (i < a.length && (a[i] == '-' || a[i] == '+')) {
            neg = a[i] == '-';
            i++;
        }
        long v = 0;
        while (i < a.length && a[i] >= '0' && a[i] <= '9') {
            v = v * 10 + (a[i] - '0');
            i++;
        }
        return neg ? -v : v;
    }

    /** C strtod on the longest numeric prefix; 0 when there is none. */
    static double strtod(String s) {
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("^\\s*[+-]?(\\d+\\.?\\d*([eE][+-]?\\d+)?|\\.\\d+([eE][+-]?\\d+)?)").matcher(s);
        if (!m.find()) {
            return 0;
        }
        try {
            return Double.parseDouble(m.group().trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The bytes up to the first NUL, as C string functions see an argument. */
    private static byte[] cString(byte[] a) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == 0) {
                return Arrays.copyOf(a, i);
            }
        }
        return a;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
