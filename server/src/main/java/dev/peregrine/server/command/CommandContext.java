package dev.peregrine.server.command;

import dev.peregrine.protocol.ReplyWriter;
import dev.peregrine.server.exec.Client;
import dev.peregrine.server.exec.Engine;
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
    private Client client;
    private byte[][] argv;
    private long now;
    private Command command;

    public CommandContext(Engine engine) {
        this.engine = engine;
    }

    /** Called by the engine before each command. */
    public void begin(Client client, byte[][] argv, long now) {
        this.client = client;
        this.argv = argv;
        this.now = now;
        this.command = null;
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
     * Tells the server a key was changed: counts it toward {@code rdb_changes_since_last_save}; later features
     * (WATCH, client-side caching, keyspace events) hook in here.
     */
    public void keyModified(Database db, byte[] key) {
        engine.stats().dirty++;
    }

    /** Adds {@code n} to the changes-since-last-save counter without naming a key (FLUSHALL and the like). */
    public void dirty(long n) {
        engine.stats().dirty += n;
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
