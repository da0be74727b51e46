package dev.peregrine.server.exec;

import dev.peregrine.storage.Database;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;

/**
 * Keyspace notifications ({@code notify-keyspace-events}): the event classes in effect, and the publishing of an
 * event as {@code __keyspace@<db>__:<key>} carrying the event name (class {@code K}) and
 * {@code __keyevent@<db>__:<event>} carrying the key name (class {@code E}) through {@link PubSub}, to channel and
 * pattern subscribers alike.
 *
 * <p>The class constants are the bits of Redis's {@code NOTIFY_*} flags. Commands pass one of the type classes
 * with each event; {@link #enabled(int)} is a single mask test, so an event costs nothing when its class is off
 * (the mask is 0 unless {@code K} or {@code E} is on). Executor-only.
 */
public final class KeyspaceEvents {
    /** {@code K}: publish to {@code __keyspace@<db>__:<key>}. */
    public static final int KEYSPACE = 1;
    /** {@code E}: publish to {@code __keyevent@<db>__:<event>}. */
    public static final int KEYEVENT = 1 << 1;
    /** {@code g}: generic commands (DEL, EXPIRE, RENAME...). */
    public static final int GENERIC = 1 << 2;
    /** {@code $}: string commands. */
    public static final int STRING = 1 << 3;
    /** {@code l}: list commands. */
    public static final int LIST = 1 << 4;
    /** {@code s}: set commands. */
    public static final int SET = 1 << 5;
    /** {@code h}: hash commands. */
    public static final int HASH = 1 << 6;
    /** {@code z}: sorted set commands. */
    public static final int ZSET = 1 << 7;
    /** {@code x}: a key deleted because its time passed. */
    public static final int EXPIRED = 1 << 8;
    /** {@code e}: a key evicted under maxmemory. */
    public static final int EVICTED = 1 << 9;
    /** {@code t}: stream commands. */
    public static final int STREAM = 1 << 10;
    /** {@code m}: a read found no key (not part of {@code A}). */
    public static final int KEY_MISS = 1 << 11;
    /** {@code d}: module key types. */
    public static final int MODULE = 1 << 12;
    /** {@code n}: a key was created (not part of {@code A}). */
    public static final int NEW = 1 << 13;
    /** {@code A}: every type class but {@code m} and {@code n}. */
    public static final int ALL = GENERIC | STRING | LIST | SET | HASH | ZSET | EXPIRED | EVICTED | STREAM | MODULE;

    private static final byte[] KEYSPACE_PREFIX = "__keyspace@".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEYEVENT_PREFIX = "__keyevent@".getBytes(StandardCharsets.US_ASCII);

    private final PubSub pubsub;
    /** The configured classes. */
    private int flags;
    /** The classes that publish something: {@link #flags}, or 0 when neither K nor E is on. */
    private int mask;
    /** Event names as bytes, by name. */
    private final HashMap<String, byte[]> names = new HashMap<>();

    KeyspaceEvents(PubSub pubsub) {
        this.pubsub = pubsub;
    }

    /**
     * The classes of a {@code notify-keyspace-events} value, as Redis's keyspaceEventsStringToFlags, or -1 when a
     * character names no class.
     */
    public static int parse(String classes) {
        int f = 0;
        for (int i = 0; i < classes.length(); i++) {
            switch (classes.charAt(i)) {
                case 'A': f |= ALL; break;
                case 'g': f |= GENERIC; break;
                case '$': f |= STRING; break;
                case 'l': f |= LIST; break;
                case 's': f |= SET; break;
                case 'h': f |= HASH; break;
                case 'z': f |= ZSET; break;
                case 'x': f |= EXPIRED; break;
                case 'e': f |= EVICTED; break;
                case 'K': f |= KEYSPACE; break;
                case 'E': f |= KEYEVENT; break;
                case 't': f |= STREAM; break;
                case 'm': f |= KEY_MISS; break;
                case 'd': f |= MODULE; break;
                case 'n': f |= NEW; break;
                default: return -1;
            }
        }
        return f;
    }

    /** Sets the classes in effect (from the {@code notify-keyspace-events} value). */
    public void configure(String classes) {
        int f = parse(classes == null ? "" : classes);
        flags = Math.max(f, 0);
        mask = (flags & (KEYSPACE | KEYEVENT)) == 0 ? 0 : flags;
    }

    /** The configured classes. */
    public int flags() {
        return flags;
    }

    /** Whether an event of class {@code type} would be published now. */
    public boolean enabled(int type) {
        return (mask & type) != 0;
    }

    /**
     * Publishes event {@code event} of class {@code type} on {@code key} of {@code db} (Redis's
     * notifyKeyspaceEvent): first to the keyspace channel, then to the keyevent channel, each if its class is on.
     * Does nothing when the class is off.
     */
    public void notify(int type, String event, Database db, byte[] key) {
        if ((mask & type) == 0) {
            return;
        }
        publish(event, db.id(), key);
    }

    private void publish(String event, int dbId, byte[] key) {
        byte[] name = names.computeIfAbsent(event, e -> e.getBytes(StandardCharsets.ISO_8859_1));
        byte[] id = Integer.toString(dbId).getBytes(StandardCharsets.US_ASCII);
        if ((mask & KEYSPACE) != 0) {
            pubsub.publish(channel(KEYSPACE_PREFIX, id, key), name, PubSub.Kind.CHANNEL);
        }
        if ((mask & KEYEVENT) != 0) {
            pubsub.publish(channel(KEYEVENT_PREFIX, id, name), key, PubSub.Kind.CHANNEL);
        }
    }

    private static byte[] channel(byte[] prefix, byte[] id, byte[] suffix) {
        byte[] c = new byte[prefix.length + id.length + 3 + suffix.length];
        System.arraycopy(prefix, 0, c, 0, prefix.length);
        System.arraycopy(id, 0, c, prefix.length, id.length);
        int p = prefix.length + id.length;
        c[p] = '_';
        c[p + 1] = '_';
        c[p + 2] = ':';
        System.arraycopy(suffix, 0, c, p + 3, suffix.length);
        return c;
    }
}
