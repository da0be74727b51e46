package dev.peregrine.server.exec;

import dev.peregrine.storage.Database;
import dev.peregrine.storage.Entry;

import java.util.ArrayList;
import java.util.HashMap;

/**
 * Which clients WATCH which keys (Redis's {@code db->watched_keys} and {@code c->watched_keys}), and the CAS
 * invalidation rules of Redis 7: a change to a watched key marks each watcher dirty (its EXEC then fails) and
 * drops its watches. A key that was already logically expired when watched stays valid while it is merely
 * deleted (expired to absent is no change), but not when it gets a new value.
 *
 * <p>Cheap when nobody watches: every hook first checks {@link #isEmpty()}. Executor-only.
 */
public final class WatchedKeys {
    /** One watched key of one client. */
    static final class Watch {
        final BlockingKeys.DbKey key;
        /** The key existed but its time had passed when WATCH ran (Redis's {@code wk->expired}). */
        boolean expired;

        Watch(BlockingKeys.DbKey key, boolean expired) {
            this.key = key;
            this.expired = expired;
        }
    }

    private final HashMap<BlockingKeys.DbKey, ArrayList<Client>> watchers = new HashMap<>();
    private int watchingClients;

    /** Whether no client watches any key. */
    public boolean isEmpty() {
        return watchers.isEmpty();
    }

    /** Number of distinct watched (db, key) pairs (INFO total_watched_keys). */
    public int watchedKeys() {
        return watchers.size();
    }

    /** Number of clients watching at least one key (INFO watching_clients). */
    public int watchingClients() {
        return watchingClients;
    }

    /** WATCH: {@code c} watches {@code key} of {@code db}; watching a key twice is a no-op. */
    public void watch(Client c, Database db, byte[] key, long now) {
        BlockingKeys.DbKey k = new BlockingKeys.DbKey(db.id(), key);
        if (c.watched == null) {
            c.watched = new ArrayList<>();
            watchingClients++;
        } else {
            for (Watch w : c.watched) {
                if (w.key.equals(k)) {
                    return;
                }
            }
        }
        c.watched.add(new Watch(k, isExpired(db, key, now)));
        watchers.computeIfAbsent(k, x -> new ArrayList<>(2)).add(c);
    }

    /** UNWATCH (and the end of EXEC, DISCARD, RESET, disconnect): drops every watch of {@code c}. */
    public void unwatchAll(Client c) {
        ArrayList<Watch> list = c.watched;
        if (list == null) {
            return;
        }
        c.watched = null;
        watchingClients--;
        for (Watch w : list) {
            ArrayList<Client> cs = watchers.get(w.key);
            if (cs != null) {
                cs.remove(c);
                if (cs.isEmpty()) {
                    watchers.remove(w.key);
                }
            }
        }
    }

    /** Number of keys {@code c} watches (CLIENT LIST watch=). */
    public static int watchCount(Client c) {
        return c.watched == null ? 0 : c.watched.size();
    }

    /** A key of {@code db} was changed, deleted or expired (Redis's touchWatchedKey); called after the change. */
    public void touch(Database db, byte[] key) {
        if (watchers.isEmpty()) {
            return;
        }
        BlockingKeys.DbKey k = new BlockingKeys.DbKey(db.id(), key);
        ArrayList<Client> cs = watchers.get(k);
        if (cs == null) {
            return;
        }
        for (Client c : cs.toArray(new Client[0])) {
            Watch w = find(c, k);
            if (w != null && w.expired) {
                if (db.peek(key) == null) {
                    // an expired key that is now deleted: logically unchanged
                    w.expired = false;
                    continue;
                }
            }
            markDirty(c);
        }
    }

    /**
     * FLUSHDB/FLUSHALL ({@code replacedWith} null) or SWAPDB: {@code emptied} is about to lose its content, to
     * nothing or to {@code replacedWith}'s. Watchers of keys that exist in either are marked dirty, with Redis's
     * exceptions for keys that were already expired when watched or are expired in the replacement. Call it
     * before the change.
     */
    public void touchAllInDb(Database emptied, Database replacedWith, long now) {
        if (watchers.isEmpty()) {
            return;
        }
        ArrayList<BlockingKeys.DbKey> keys = new ArrayList<>();
        for (BlockingKeys.DbKey k : watchers.keySet()) {
            if (k.db == emptied.id()) {
                keys.add(k);
            }
        }
        for (BlockingKeys.DbKey k : keys) {
            boolean existsInEmptied = emptied.peek(k.key) != null;
            boolean existsInReplacement = replacedWith != null && replacedWith.peek(k.key) != null;
            if (!existsInEmptied && !existsInReplacement) {
                continue;
            }
            ArrayList<Client> cs = watchers.get(k);
            if (cs == null) {
                continue;
            }
            for (Client c : cs.toArray(new Client[0])) {
                Watch w = find(c, k);
                if (w == null) {
                    continue;
                }
                if (w.expired) {
                    if (!existsInReplacement) {
                        w.expired = false;
                        continue;
                    } else if (isExpired(replacedWith, k.key, now)) {
                        continue;
                    }
                } else if (!existsInEmptied && isExpired(replacedWith, k.key, now)) {
                    continue;
                }
                markDirty(c);
            }
        }
    }

    /**
     * At EXEC: whether a key {@code c} watches has logically expired since it was watched (Redis 7 fails the
     * transaction then, even though the key was not deleted yet).
     */
    public boolean anyExpired(Client c, Engine engine, long now) {
        if (c.watched == null) {
            return false;
        }
        for (Watch w : c.watched) {
            if (!w.expired && isExpired(engine.db(w.key.db), w.key.key, now)) {
                return true;
            }
        }
        return false;
    }

    private void markDirty(Client c) {
        c.dirtyCas = true;
        // a dirty client's EXEC fails anyway: stop tracking its keys (as Redis 7 does)
        unwatchAll(c);
    }

    private static Watch find(Client c, BlockingKeys.DbKey k) {
        if (c.watched != null) {
            for (Watch w : c.watched) {
                if (w.key.equals(k)) {
                    return w;
                }
            }
        }
        return null;
    }

    /** Whether {@code key} exists in {@code db} with its time passed (not deleted yet). */
    private static boolean isExpired(Database db, byte[] key, long now) {
        Object e = db.peek(key);
        if (e == null) {
            return false;
        }
        long at = Entry.expireAt(e);
        return at != Entry.NO_EXPIRE && at <= now;
    }
}
