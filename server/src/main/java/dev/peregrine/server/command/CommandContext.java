package dev.peregrine.server.command;

import dev.peregrine.protocol.ReplyWriter;
import dev.peregrine.server.exec.Client;
import dev.peregrine.server.exec.Engine;
import dev.peregrine.server.exec.KeyspaceEvents;
import dev.peregrine.storage.Database;
import dev.peregrine.storage.Entry;
import dev.peregrine.storage.Numbers;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What a {@link CommandHandler} works with: the arguments, the calling client, its database, the reply writer,
 * the command's start time, and helpers for the checks and errors every command shares.
 *
 * <p>One instance, reused for every command. Executor-only.
 */
public final class CommandContext {
    private final Engine engine;
    private final KeyspaceEvents events;
    private Client client;
    private byte[][] argv;
    private long now;
    private Command command;
    private byte[][] propagateArgv;
    private boolean preventPropagation;
    private boolean forcePropagation;

    public CommandContext(Engine engine) {
        this.engine = engine;
        this.events = engine.keyspaceEvents();
    }

    /** Called by the engine before each command. */
    public void begin(Client client, byte[][] argv, long now) {
        this.client = client;
        this.argv = argv;
        this.now = now;
        this.command = null;
        this.propagateArgv = null;
        this.preventPropagation = false;
        this.forcePropagation = false;
    }

    /** What a nested call (EXEC's commands, AOF reloading, scripts) must not leave changed for its caller. */
    public record Saved(Client client, byte[][] argv, long now, Command command, byte[][] propagateArgv,
                        boolean preventPropagation, boolean forcePropagation) {
    }

    /** The state of the command being run, before a nested call replaces it. */
    public Saved save() {
        return new Saved(client, argv, now, command, propagateArgv, preventPropagation, forcePropagation);
    }

    /** Puts back what {@link #save()} returned, after a nested call. */
    public void restore(Saved s) {
        client = s.client;
        argv = s.argv;
        now = s.now;
        command = s.command;
        propagateArgv = s.propagateArgv;
        preventPropagation = s.preventPropagation;
        forcePropagation = s.forcePropagation;
    }

    /** Called by the engine once the command is resolved. */
    public void command(Command command) {
        this.command = command;
    }

    public Engine engine() {
        return engine;
    }

    public Client client() {
        return client;
    }

    public Command command() {
        return command;
    }

    /** The reply writer, wrapping the client's output buffer in its protocol version. */
    public ReplyWriter reply() {
        return client.replyWriter();
    }

    /** Unix time in ms when the command started: expiry decisions in one command use this one instant. */
    public long now() {
        return now;
    }

    // ---------------------------------------------------------------- arguments

    public int argc() {
        return argv.length;
    }

    public byte[][] argv() {
        return argv;
    }

    public byte[] arg(int i) {
        return argv[i];
    }

    /**
     * Replaces the arguments of the running command (Redis's replaceClientCommandVector), for a command that
     * runs as another one: GEOADD hands its rewritten arguments to ZADD.
     */
    public void replaceArgv(byte[][] argv) {
        this.argv = argv;
    }

    /** Argument {@code i} as a string (ISO-8859-1, byte for char). */
    public String argString(int i) {
        return new String(argv[i], StandardCharsets.ISO_8859_1);
    }

    /** Argument {@code i} lower-cased, for option names. */
    public String argLower(int i) {
        return argString(i).toLowerCase(Locale.ROOT);
    }

    /** Whether argument {@code i} equals {@code option}, ignoring ASCII case. */
    public boolean argIs(int i, String option) {
        byte[] a = argv[i];
        if (a.length != option.length()) {
            return false;
        }
        for (int k = 0; k < a.length; k++) {
            int x = a[k] & 0xff;
            int y = option.charAt(k);
            if (x != y && !(Character.isLetter(y) && (x | 0x20) == (y | 0x20))) {
                return false;
            }
        }
        return true;
    }

    /** Argument {@code i} as a 64-bit integer, or a {@link CommandError} with {@link Errors#NOT_INTEGER}. */
    public long longArg(int i) {
        return longArg(i, Errors.NOT_INTEGER);
    }

    /** Argument {@code i} as a 64-bit integer, or a {@link CommandError} with {@code error}. */
    public long longArg(int i, String error) {
        byte[] a = argv[i];
        long v = Numbers.parseLong(a, 0, a.length);
        if (v == Numbers.NOT_A_LONG && !Numbers.isLong(a)) {
            throw new CommandError(error);
        }
        return v;
    }

    // ---------------------------------------------------------------- keyspace

    /** The client's selected database. */
    public Database db() {
        return engine.db(client.dbIndex());
    }

    /**
     * Looks a key up for reading: expires it lazily, counts a keyspace hit or miss, and updates its access clock
     * unless the client set CLIENT NO-TOUCH.
     *
     * @return the live entry, or null
     */
    public Object lookupRead(byte[] key) {
        Object e = db().lookup(key, now);
        if (e == null) {
            engine.stats().keyspaceMisses++;
            events.notify(KeyspaceEvents.KEY_MISS, "keymiss", db(), key);
        } else {
            engine.stats().keyspaceHits++;
            if (!client.noTouch()) {
                Entry.accessClock(e, Engine.lruClock(now));
            }
        }
        return e;
    }

    /** Looks a key up for writing (lazy expiry, no hit/miss counting). */
    public Object lookupWrite(byte[] key) {
        return db().lookupForWrite(key, now);
    }

    /** Looks a string key up for reading; null when absent, {@link CommandError} WRONGTYPE when not a string. */
    public byte[] lookupString(byte[] key) {
        Object e = lookupRead(key);
        if (e == null) {
            return null;
        }
        if (!(e instanceof byte[])) {
            throw new CommandError(Errors.WRONGTYPE);
        }
        return (byte[]) e;
    }

    /**
     * Tells the server a key was changed: counts it toward {@code rdb_changes_since_last_save} and invalidates
     * WATCHes of it (cheap when nobody watches), and sends client-side caching invalidations for it (cheap when
     * nobody tracks). Keyspace events are published separately, by {@link #notify}.
     */
    public void keyModified(Database db, byte[] key) {
        engine.stats().dirty++;
        engine.touchWatchedKey(db, key);
        engine.invalidateTrackedKey(key, client);
    }

    /**
     * Publishes keyspace event {@code event} of class {@code type} (a {@link KeyspaceEvents} constant: GENERIC,
     * STRING, LIST, ...) on {@code key} of {@code db}, as Redis's notifyKeyspaceEvent. Call it after the change,
     * once per event Redis emits, in Redis's order. Returns at once when the class is off.
     */
    public void notify(int type, String event, Database db, byte[] key) {
        events.notify(type, event, db, key);
    }

    /** Adds {@code n} to the changes-since-last-save counter without naming a key (FLUSHALL and the like). */
    public void dirty(long n) {
        engine.stats().dirty += n;
    }

    // ---------------------------------------------------------------- propagation (AOF, replicas)

    /**
     * Whether writes are propagated now (an AOF or a replica is attached). Commands check it before building a
     * rewritten form, so nothing is allocated when nobody listens.
     */
    public boolean propagating() {
        return engine.propagation().active();
    }

    /**
     * Propagates this command as {@code argv} instead of as called (Redis's rewriteClientCommandVector): relative
     * expiries become absolute ({@code PXAT}, {@code PEXPIREAT}), random or blocking effects become their exact
     * form ({@code SREM}, {@code LPOP}). Applies only if the command changed the dataset.
     */
    public void propagateAs(byte[]... argv) {
        this.propagateArgv = argv;
    }

    /** Adds an operation on the client's database to this execution unit, before the command's own. */
    public void alsoPropagate(byte[]... argv) {
        engine.propagation().add(client.dbIndex(), argv);
    }

    /** Adds an operation on database {@code db} to this execution unit, before the command's own. */
    public void alsoPropagate(Database db, byte[]... argv) {
        engine.propagation().add(db.id(), argv);
    }

    /** Keeps this command itself from being propagated (its effects went out through alsoPropagate). */
    public void preventPropagation() {
        this.preventPropagation = true;
    }

    /** Propagates this command even if it changed no key (PUBLISH, SCRIPT LOAD, FUNCTION...). */
    public void forcePropagation() {
        this.forcePropagation = true;
    }

    /**
     * Called by the engine after a command other than EXEC, EVAL and FCALL ran (those are never propagated
     * themselves: the commands they run are), with whether it raised the dirty counter.
     */
    public void propagateCall(boolean dirtied) {
        if ((dirtied || forcePropagation) && !preventPropagation) {
            engine.propagation().add(client.dbIndex(), propagateArgv != null ? propagateArgv : argv);
        }
    }

    // ---------------------------------------------------------------- blocking operations

    /**
     * Tells the server a key may now serve clients blocked on it (Redis's signalKeyAsReady): call it after a
     * write that adds elements or makes a key appear (pushes, a move's destination, RENAME, MOVE, COPY; later
     * ZADD, XADD...). Waiters are served after the current command. Cheap when nobody waits on the key.
     */
    public void signalKeyAsReady(Database db, byte[] key) {
        engine.signalKeyAsReady(db.id(), key);
    }

    /** Signals every key clients wait on in {@code db} (its whole content changed, as after SWAPDB). */
    public void signalWaitedKeys(Database db) {
        engine.signalWaitedKeys(db.id());
    }

    /**
     * Whether the client may not block now (inside MULTI or a script): a blocking command then answers as if it
     * had timed out at once.
     */
    public boolean blockingDenied() {
        return client.inMulti() || client.inScript();
    }

    /**
     * Blocks the client on {@code keys} of its database until one of them holds a value of {@code type} or
     * until {@code timeoutAt} (Unix ms, 0 = forever; see {@link #timeoutArg}). The command must write no reply:
     * it runs again when woken, and a time-out answers a null array.
     */
    public void blockForKeys(byte[][] keys, long timeoutAt, dev.peregrine.storage.ValueType type) {
        engine.blockForKeys(client, keys, timeoutAt, type);
    }

    /**
     * As {@link #blockForKeys(byte[][], long, dev.peregrine.storage.ValueType)}; with {@code unblockOnNoKey}
     * (XREADGROUP) the client is answered {@code -UNBLOCKED the stream key no longer exists} when a key it waits
     * on is deleted or replaced by another type.
     */
    public void blockForKeys(byte[][] keys, long timeoutAt, dev.peregrine.storage.ValueType type,
            boolean unblockOnNoKey) {
        engine.blockForKeys(client, keys, timeoutAt, type, unblockOnNoKey);
    }

    /**
     * Argument {@code i} as a blocking time-out in seconds (a long double, as Redis parses it) turned into an
     * absolute Unix ms time, rounded up; 0 means forever. Errors as Redis 7.2: {@code ERR timeout is not a float
     * or out of range}, {@code ERR timeout is out of range}, {@code ERR timeout is negative}.
     */
    public long timeoutArg(int i) {
        java.math.BigDecimal seconds = dev.peregrine.server.command.string.LongDouble.parse(argv[i], 0,
                argv[i].length);
        if (seconds == null) {
            throw new CommandError("ERR timeout is not a float or out of range");
        }
        long ms;
        if (seconds == dev.peregrine.server.command.string.LongDouble.INFINITE) {
            // +inf exceeds the range; -inf converts to the most negative integer
            if (argv[i][0] != '-') {
                throw new CommandError("ERR timeout is out of range");
            }
            ms = Long.MIN_VALUE;
        } else {
            java.math.BigDecimal product = dev.peregrine.server.command.string.LongDouble.multiply(seconds, 1000);
            if (product == null) {
                throw new CommandError(seconds.signum() > 0 ? "ERR timeout is out of range" : "ERR timeout is negative");
            }
            java.math.BigDecimal exact = product.setScale(0, java.math.RoundingMode.CEILING);
            if (exact.compareTo(java.math.BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
                throw new CommandError("ERR timeout is out of range");
            }
            ms = exact.compareTo(java.math.BigDecimal.valueOf(Long.MIN_VALUE)) < 0 ? Long.MIN_VALUE
                    : exact.longValue();
        }
        if (ms < 0) {
            throw new CommandError("ERR timeout is negative");
        }
        if (ms == 0) {
            return 0;
        }
        if (ms > Long.MAX_VALUE - now) {
            throw new CommandError("ERR timeout is out of range");
        }
        return now + ms;
    }

    // ---------------------------------------------------------------- errors

    /** Writes an error reply and counts it in INFO errorstats. */
    public void error(String message) {
        engine.stats().countError(message);
        reply().error(message);
    }

    /** A {@link CommandError} for the caller to throw. */
    public static CommandError err(String message) {
        return new CommandError(message);
    }

    /** {@code ERR wrong number of arguments for '<command>' command}. */
    public CommandError wrongArity() {
        return new CommandError(Errors.wrongArity(command.spec().fullName()));
    }

}
