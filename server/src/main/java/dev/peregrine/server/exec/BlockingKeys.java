package dev.peregrine.server.exec;

import dev.peregrine.storage.ValueType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Who waits for which key (Redis's {@code db->blocking_keys}), which keys were signalled as ready since the last
 * serving round ({@code server.ready_keys}), and the time-outs of blocked clients. Pure bookkeeping: the
 * {@link Engine} decides when to serve and re-runs the commands.
 *
 * <p>Per (db index, key), clients wait in FIFO order of blocking. A client blocked on several keys appears in
 * each key's queue. Executor-only.
 */
public final class BlockingKeys {
    /** A key of one database, hashable. */
    static final class DbKey {
        final int db;
        final byte[] key;
        private final int hash;

        DbKey(int db, byte[] key) {
            this.db = db;
            this.key = key;
            this.hash = Arrays.hashCode(key) * 31 + db;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof DbKey && ((DbKey) o).db == db && Arrays.equals(((DbKey) o).key, key);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** What a blocked client waits for (Redis's {@code bstate}). */
    static final class State {
        final int db;
        final DbKey[] keys;
        /** Unix ms after which the client times out; 0 = never. */
        final long timeoutAt;
        /** The type a key must hold to wake the client. */
        final ValueType type;
        /**
         * Whether the client is answered with an error when a signalled key is missing or of another type
         * (XREADGROUP: its group went with the key; Redis's unblock_on_nokey).
         */
        final boolean unblockOnNoKey;
        /** For a wait on no key (WAIT): the reply at the time-out instead of a null array; null otherwise. */
        java.util.function.Consumer<dev.peregrine.protocol.ReplyWriter> timeoutReply;

        State(int db, DbKey[] keys, long timeoutAt, ValueType type, boolean unblockOnNoKey) {
            this.db = db;
            this.keys = keys;
            this.timeoutAt = timeoutAt;
            this.type = type;
            this.unblockOnNoKey = unblockOnNoKey;
        }
    }

    private static final class Timeout implements Comparable<Timeout> {
        final long at;
        final long seq;
        final Client client;
        final State state;

        Timeout(long at, long seq, Client client, State state) {
            this.at = at;
            this.seq = seq;
            this.client = client;
            this.state = state;
        }

        @Override
        public int compareTo(Timeout o) {
            int c = Long.compare(at, o.at);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private final Map<DbKey, LinkedHashSet<Client>> waiting = new HashMap<>();
    private final LinkedHashSet<DbKey> ready = new LinkedHashSet<>();
    private final PriorityQueue<Timeout> timeouts = new PriorityQueue<>();
    private long timeoutSeq;
    private int blockedClients;
    private int withTimeout;

    /** Registers {@code c} as waiting on {@code keys} of database {@code db}; duplicate keys count once. */
    State block(Client c, int db, byte[][] keys, long timeoutAt, ValueType type) {
        return block(c, db, keys, timeoutAt, type, false);
    }

    /** As {@link #block(Client, int, byte[][], long, ValueType)}, with Redis's unblock-on-missing-key flag. */
    State block(Client c, int db, byte[][] keys, long timeoutAt, ValueType type, boolean unblockOnNoKey) {
        LinkedHashSet<DbKey> distinct = new LinkedHashSet<>();
        for (byte[] k : keys) {
            distinct.add(new DbKey(db, k));
        }
        State s = new State(db, distinct.toArray(new DbKey[0]), timeoutAt, type, unblockOnNoKey);
        for (DbKey k : s.keys) {
            waiting.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(c);
        }
        c.blocked = s;
        blockedClients++;
        if (timeoutAt != 0) {
            withTimeout++;
            timeouts.add(new Timeout(timeoutAt, timeoutSeq++, c, s));
        }
        return s;
    }

    /** Removes {@code c} from every key it waits on; no-op when it is not blocked. */
    void unblock(Client c) {
        State s = c.blocked;
        if (s == null) {
            return;
        }
        c.blocked = null;
        blockedClients--;
        if (s.timeoutAt != 0) {
            withTimeout--;
        }
        for (DbKey k : s.keys) {
            LinkedHashSet<Client> q = waiting.get(k);
            if (q != null) {
                q.remove(c);
                if (q.isEmpty()) {
                    waiting.remove(k);
                }
            }
        }
        // its time-out entry, if any, is dropped lazily (see expired)
    }

    /** Whether some client waits on {@code key} of database {@code db}. */
    boolean hasWaiters(int db, byte[] key) {
        return !waiting.isEmpty() && waiting.containsKey(new DbKey(db, key));
    }

    /** Marks {@code key} of {@code db} as ready when some client waits on it (Redis's signalKeyAsReady). */
    void signal(int db, byte[] key) {
        if (waiting.isEmpty()) {
            return;
        }
        DbKey k = new DbKey(db, key);
        if (waiting.containsKey(k)) {
            ready.add(k);
        }
    }

    /** Every waited-on key of database {@code db} (for SWAPDB, which re-checks them all). */
    List<byte[]> keysOf(int db) {
        List<byte[]> out = new ArrayList<>();
        for (DbKey k : waiting.keySet()) {
            if (k.db == db) {
                out.add(k.key);
            }
        }
        return out;
    }

    boolean hasReady() {
        return !ready.isEmpty();
    }

    /** Takes the ready keys signalled so far, in signal order, and starts a new set. */
    List<DbKey> takeReady() {
        List<DbKey> out = new ArrayList<>(ready);
        ready.clear();
        return out;
    }

    /** The clients waiting on {@code k} now, in blocking order (a copy), or null when none. */
    Client[] waitersOf(DbKey k) {
        LinkedHashSet<Client> q = waiting.get(k);
        return q == null ? null : q.toArray(new Client[0]);
    }

    /** Unix ms of the earliest pending time-out, or 0 when none. */
    long earliestTimeout() {
        while (!timeouts.isEmpty()) {
            Timeout t = timeouts.peek();
            if (t.client.blocked == t.state) {
                return t.at;
            }
            timeouts.poll();
        }
        return 0;
    }

    /** Removes and returns the clients whose time-out passed at {@code now} (Redis: timeout &lt; now), in order. */
    List<Client> expired(long now) {
        List<Client> out = null;
        while (!timeouts.isEmpty()) {
            Timeout t = timeouts.peek();
            if (t.client.blocked != t.state) {
                timeouts.poll();
                continue;
            }
            if (t.at >= now) {
                break;
            }
            timeouts.poll();
            if (out == null) {
                out = new ArrayList<>();
            }
            out.add(t.client);
        }
        return out == null ? List.of() : out;
    }

    /** INFO blocked_clients: clients blocked on keys (not those held by CLIENT PAUSE). */
    public int blockedClients() {
        return blockedClients;
    }

    /** INFO clients_in_timeout_table: blocked clients with a time-out. */
    public int clientsWithTimeout() {
        return withTimeout;
    }

    /** INFO total_blocking_keys: distinct (db, key) pairs some client waits on. */
    public int blockingKeys() {
        return waiting.size();
    }
}
