package dev.peregrine.server.exec;

import dev.peregrine.protocol.ReplyWriter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Client-side caching (Redis's tracking.c): which clients read which keys (the tracking table, default mode),
 * which clients watch which key prefixes (the prefix table, BCAST mode), and the invalidation messages sent when
 * tracked keys change, expire or are flushed.
 *
 * <p>The tracking table maps a key name (of any database, as in Redis) to the ids of the clients that read it
 * since it last changed; a change sends each of them {@code invalidate [key]} once and forgets the key. Prefix
 * subscriptions collect the keys changed under each prefix and send them as one message per prefix at the end of
 * the batch ({@link #beforeSleep}). A message goes as a RESP3 push {@code >2 invalidate [keys]} to the client
 * itself, or to its REDIRECT client: as a push when that one speaks RESP3, as a Pub/Sub message on
 * {@code __redis__:invalidate} when it speaks RESP2 and is in Pub/Sub mode, else nowhere. A flush sends a null
 * instead of the key array.
 *
 * <p>{@link #active()} is false until a client turns tracking on, so writes pay one check. Executor-only.
 */
public final class Tracking {
    /** One client's tracking state (Redis's CLIENT_TRACKING_* flags and fields). */
    static final class State {
        boolean on;
        boolean bcast;
        boolean optin;
        boolean optout;
        boolean noloop;
        /** CLIENT CACHING YES/NO given for the next command. */
        boolean caching;
        boolean brokenRedirect;
        long redirect;
        /** BCAST prefixes, sorted as Redis's radix tree; null when none. */
        TreeMap<byte[], Boolean> prefixes;
    }

    /** A BCAST prefix: its clients, and the keys changed under it since the last broadcast with who changed them. */
    private static final class Prefix {
        final LinkedHashSet<Client> clients = new LinkedHashSet<>();
        TreeMap<byte[], Client> keys = new TreeMap<>(Arrays::compareUnsigned);
    }

    /** A key name as a hash key. */
    private static final class Key {
        final byte[] bytes;
        private final int hash;

        Key(byte[] bytes) {
            this.bytes = bytes;
            this.hash = Arrays.hashCode(bytes);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key && Arrays.equals(((Key) o).bytes, bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private static final byte[] INVALIDATE = "invalidate".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MESSAGE = "message".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CHANNEL = "__redis__:invalidate".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REDIR_BROKEN = "tracking-redir-broken".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL2 = "$-1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL3 = "_\r\n".getBytes(StandardCharsets.US_ASCII);

    private final Engine engine;
    /** Key name to the ids of the clients that may cache it (Redis's TrackingTable). */
    private final HashMap<Key, LinkedHashSet<Long>> table = new HashMap<>();
    /** Client ids over all keys of {@link #table} (Redis's TrackingTableTotalItems). */
    private long totalItems;
    /** BCAST prefixes (Redis's PrefixTable), sorted. */
    private final TreeMap<byte[], Prefix> prefixes = new TreeMap<>(Arrays::compareUnsigned);
    /** Clients with tracking on. */
    private int clients;
    /** Rounds of {@link #limitKeys} that could not get under the limit in a row. */
    private int limitTimeouts;
    private final java.util.SplittableRandom random = new java.util.SplittableRandom();

    Tracking(Engine engine) {
        this.engine = engine;
    }

    /** Whether any key or prefix is tracked: writes check this before anything else. */
    public boolean active() {
        return !table.isEmpty() || !prefixes.isEmpty();
    }

    /** INFO tracking_clients. */
    public int clients() {
        return clients;
    }

    /** INFO tracking_total_keys. */
    public int totalKeys() {
        return table.size();
    }

    /** INFO tracking_total_items. */
    public long totalItems() {
        return totalItems;
    }

    /** INFO tracking_total_prefixes. */
    public int totalPrefixes() {
        return prefixes.size();
    }

    // ---------------------------------------------------------------- client state

    /** Whether {@code c} has tracking on (CLIENT LIST flag {@code t}). */
    public static boolean on(Client c) {
        return c.tracking != null && c.tracking.on;
    }

    /** Whether {@code c} tracks in BCAST mode (flag {@code B}). */
    public static boolean bcast(Client c) {
        return c.tracking != null && c.tracking.on && c.tracking.bcast;
    }

    /** Whether {@code c}'s redirection client went away (flag {@code R}). */
    public static boolean brokenRedirect(Client c) {
        return c.tracking != null && c.tracking.on && c.tracking.brokenRedirect;
    }

    /** CLIENT GETREDIR and CLIENT LIST redir=: the redirection id, 0 for none, -1 with tracking off. */
    public static long redirect(Client c) {
        return on(c) ? c.tracking.redirect : -1;
    }

    /**
     * CLIENT TRACKING ON with options already checked for syntax: the mode checks and errors of Redis, then turns
     * tracking on (again: options replace the old ones, BCAST prefixes add up).
     *
     * @return null when done, else the error to answer
     */
    public String enable(Client c, long redirect, boolean bcast, boolean optin, boolean optout, boolean noloop,
                         List<byte[]> newPrefixes) {
        if (!bcast && !newPrefixes.isEmpty()) {
            return "ERR PREFIX option requires BCAST mode to be enabled";
        }
        State s = c.tracking;
        if (s != null && s.on && s.bcast != bcast) {
            return "ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then "
                    + "re-enabling it with a different mode.";
        }
        if (bcast && (optin || optout)) {
            return "ERR OPTIN and OPTOUT are not compatible with BCAST";
        }
        if (optin && optout) {
            return "ERR You can't specify both OPTIN mode and OPTOUT mode";
        }
        if (s != null && s.on && (optin && s.optout || optout && s.optin)) {
            return "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then "
                    + "re-enabling it with a different mode.";
        }
        if (bcast) {
            String collision = prefixCollision(s, newPrefixes);
            if (collision != null) {
                return collision;
            }
        }
        if (s == null) {
            s = new State();
            c.tracking = s;
        }
        if (!s.on) {
            clients++;
        }
        s.on = true;
        s.brokenRedirect = false;
        s.redirect = redirect;
        s.bcast = bcast;
        s.optin = optin;
        s.optout = optout;
        s.noloop = noloop;
        if (bcast) {
            if (newPrefixes.isEmpty()) {
                subscribePrefix(c, new byte[0]);
            }
            for (byte[] p : newPrefixes) {
                subscribePrefix(c, p);
            }
        }
        return null;
    }

    /** The overlap error for BCAST prefixes (one being a prefix of another), or null. */
    private static String prefixCollision(State s, List<byte[]> list) {
        for (int i = 0; i < list.size(); i++) {
            byte[] p = list.get(i);
            if (s != null && s.prefixes != null) {
                for (byte[] old : s.prefixes.keySet()) {
                    if (overlap(old, p)) {
                        return "ERR Prefix '" + latin1(p) + "' overlaps with an existing prefix '" + latin1(old)
                                + "'. Prefixes for a single client must not overlap.";
                    }
                }
            }
            for (int j = i + 1; j < list.size(); j++) {
                if (overlap(p, list.get(j))) {
                    return "ERR Prefix '" + latin1(p) + "' overlaps with another provided prefix '"
                            + latin1(list.get(j)) + "'. Prefixes for a single client must not overlap.";
                }
            }
        }
        return null;
    }

    private static boolean overlap(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        return Arrays.equals(a, 0, n, b, 0, n);
    }

    private static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private void subscribePrefix(Client c, byte[] p) {
        Prefix bs = prefixes.computeIfAbsent(p, k -> new Prefix());
        if (bs.clients.add(c)) {
            if (c.tracking.prefixes == null) {
                c.tracking.prefixes = new TreeMap<>(Arrays::compareUnsigned);
            }
            c.tracking.prefixes.put(p, Boolean.TRUE);
        }
    }

    /**
     * CLIENT TRACKING OFF, RESET and disconnect: turns tracking off and drops the client's prefixes. The keys it
     * read stay in the tracking table until they change, as in Redis.
     */
    public void disable(Client c) {
        State s = c.tracking;
        if (s == null || !s.on) {
            return;
        }
        if (s.bcast && s.prefixes != null) {
            for (byte[] p : s.prefixes.keySet()) {
                Prefix bs = prefixes.get(p);
                if (bs != null) {
                    bs.clients.remove(c);
                    if (bs.clients.isEmpty()) {
                        prefixes.remove(p);
                    }
                }
            }
        }
        s.prefixes = null;
        s.on = false;
        s.bcast = false;
        s.optin = false;
        s.optout = false;
        s.noloop = false;
        s.brokenRedirect = false;
        clients--;
    }

    /**
     * CLIENT CACHING YES|NO.
     *
     * @return null when done, else the error to answer
     */
    public static String caching(Client c, boolean yes) {
        State s = c.tracking;
        if (s == null || !s.on) {
            return "ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or "
                    + "OPTOUT mode enabled";
        }
        if (yes && !s.optin) {
            return "ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.";
        }
        if (!yes && !s.optout) {
            return "ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.";
        }
        s.caching = true;
        return null;
    }

    /** After a command other than CLIENT ran outside MULTI: a CLIENT CACHING choice applied to it only. */
    static void commandDone(Client c) {
        if (c.tracking != null) {
            c.tracking.caching = false;
        }
    }

    /** CLIENT TRACKINGINFO: a map of flags (a set), redirect and prefixes. */
    public static void writeInfo(Client c, ReplyWriter r) {
        State s = c.tracking;
        boolean on = s != null && s.on;
        r.mapHeader(3);
        r.bulk("flags");
        List<String> flags = new ArrayList<>();
        flags.add(on ? "on" : "off");
        if (on) {
            if (s.bcast) {
                flags.add("bcast");
            }
            if (s.optin) {
                flags.add("optin");
                if (s.caching) {
                    flags.add("caching-yes");
                }
            }
            if (s.optout) {
                flags.add("optout");
                if (s.caching) {
                    flags.add("caching-no");
                }
            }
            if (s.noloop) {
                flags.add("noloop");
            }
            if (s.brokenRedirect) {
                flags.add("broken_redirect");
            }
        }
        r.setHeader(flags.size());
        for (String f : flags) {
            r.bulk(f);
        }
        r.bulk("redirect");
        r.integer(on ? s.redirect : -1);
        r.bulk("prefixes");
        if (on && s.prefixes != null) {
            r.arrayHeader(s.prefixes.size());
            for (byte[] p : s.prefixes.keySet()) {
                r.bulk(p);
            }
        } else {
            r.arrayHeader(0);
        }
    }

    // ---------------------------------------------------------------- remembering keys

    /**
     * After a read-only command of {@code c} ran (default mode): remembers that {@code c} may cache each key, unless
     * OPTIN without CACHING YES, or OPTOUT with CACHING NO.
     */
    void rememberKeys(Client c, byte[][] argv, int[] keyPositions) {
        State s = c.tracking;
        if ((s.optin && !s.caching) || (s.optout && s.caching)) {
            return;
        }
        Long id = c.id();
        for (int pos : keyPositions) {
            LinkedHashSet<Long> ids = table.computeIfAbsent(new Key(argv[pos]), k -> new LinkedHashSet<>());
            if (ids.add(id)) {
                totalItems++;
            }
        }
    }

    // ---------------------------------------------------------------- invalidation

    /**
     * A key changed (Redis's trackingInvalidateKey): queues it for the BCAST prefixes it falls under (when
     * {@code bcast}), and sends {@code invalidate [key]} to each client that read it, then forgets it. A client
     * with NOLOOP gets nothing for its own changes.
     *
     * @param modifier the client that changed it, or null (expiry, eviction)
     */
    public void invalidateKey(byte[] key, Client modifier, boolean bcast) {
        if (bcast && !prefixes.isEmpty()) {
            for (Map.Entry<byte[], Prefix> e : prefixes.entrySet()) {
                byte[] p = e.getKey();
                if (p.length <= key.length && Arrays.equals(p, 0, p.length, key, 0, p.length)) {
                    e.getValue().keys.put(key, modifier);
                }
            }
        }
        if (table.isEmpty()) {
            return;
        }
        LinkedHashSet<Long> ids = table.remove(new Key(key));
        if (ids == null) {
            return;
        }
        totalItems -= ids.size();
        Client current = engine.executingClient();
        for (Long id : ids) {
            Client target = engine.clients().get(id);
            if (target == null || !on(target) || target.tracking.bcast) {
                continue;
            }
            if (target.tracking.noloop && target == current) {
                continue;
            }
            send(target, key, null);
        }
    }

    /**
     * FLUSHALL / FLUSHDB (Redis's trackingInvalidateKeysOnFlush): every tracking client gets an invalidation with a
     * null key array, and the tracking table is emptied.
     */
    public void invalidateAll() {
        if (clients > 0) {
            for (Client c : engine.clients().values().toArray(new Client[0])) {
                if (on(c)) {
                    send(c, null, c.protocol >= 3 ? NULL3 : NULL2);
                }
            }
        }
        table.clear();
        totalItems = 0;
    }

    /**
     * Sends one invalidation for {@code c} (Redis's sendTrackingMessage): to its redirection client if any, else
     * to itself; {@code key} is one key, or null with {@code raw} the ready-made payload (a null, or an array of
     * keys).
     */
    private void send(Client c, byte[] key, byte[] raw) {
        Client to = c;
        boolean redirected = false;
        State s = c.tracking;
        if (s.redirect != 0) {
            Client redir = engine.clients().get(s.redirect);
            if (redir == null || redir.closing) {
                s.brokenRedirect = true;
                if (c.protocol >= 3) {
                    ReplyWriter w = engine.beginPush(c);
                    w.pushHeader(2);
                    w.bulk(REDIR_BROKEN);
                    w.integer(s.redirect);
                    engine.endPush(c);
                }
                return;
            }
            to = redir;
            redirected = true;
        }
        ReplyWriter w;
        if (to.protocol >= 3) {
            w = engine.beginPush(to);
            w.pushHeader(2);
            w.bulk(INVALIDATE);
        } else if (redirected && to.pubsub) {
            w = engine.beginPush(to);
            w.pushHeader(3);
            w.bulk(MESSAGE);
            w.bulk(CHANNEL);
        } else {
            return; // RESP2 without a redirection: nowhere to send it
        }
        if (raw != null) {
            w.raw(raw);
        } else {
            w.arrayHeader(1);
            w.bulk(key);
        }
        engine.endPush(to);
    }

    // ---------------------------------------------------------------- end of batch

    /**
     * Called after each batch and by the cron (Redis's beforeSleep work): sends each BCAST prefix's changed keys
     * to its clients, then evicts keys over {@code tracking-table-max-keys}.
     */
    void beforeSleep() {
        if (clients == 0 && table.isEmpty()) {
            return;
        }
        broadcast();
        limitKeys(engine.config().longValue("tracking-table-max-keys"));
    }

    private void broadcast() {
        for (Prefix bs : prefixes.values()) {
            if (bs.keys.isEmpty()) {
                continue;
            }
            byte[] common = null;
            for (Client c : bs.clients.toArray(new Client[0])) {
                byte[] payload;
                if (c.tracking.noloop) {
                    payload = keyArray(bs.keys, c);
                    if (payload == null) {
                        continue;
                    }
                } else {
                    if (common == null) {
                        common = keyArray(bs.keys, null);
                    }
                    payload = common;
                }
                send(c, null, payload);
            }
            bs.keys = new TreeMap<>(Arrays::compareUnsigned);
        }
    }

    /** The RESP array of the keys not changed by {@code except} (all when null), or null when none is left. */
    private static byte[] keyArray(TreeMap<byte[], Client> keys, Client except) {
        int n = 0;
        for (Client m : keys.values()) {
            if (except == null || m != except) {
                n++;
            }
        }
        if (n == 0) {
            return null;
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(("*" + n + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (Map.Entry<byte[], Client> e : keys.entrySet()) {
            if (except != null && e.getValue() == except) {
                continue;
            }
            byte[] k = e.getKey();
            out.writeBytes(("$" + k.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(k);
            out.writeBytes(new byte[] {'\r', '\n'});
        }
        return out.toByteArray();
    }

    /**
     * Redis's trackingLimitUsedSlots: while the table holds more than {@code max} keys (0 = no limit), invalidates
     * keys picked at random, within an effort that grows each round the limit could not be met.
     */
    void limitKeys(long max) {
        if (max == 0 || table.size() <= max) {
            limitTimeouts = 0;
            return;
        }
        int effort = 100 * (limitTimeouts + 1);
        while (effort-- > 0 && !table.isEmpty()) {
            invalidateKey(randomKey(), null, false);
            if (table.size() <= max) {
                limitTimeouts = 0;
                return;
            }
        }
        limitTimeouts++;
    }

    private byte[] randomKey() {
        int skip = random.nextInt(Math.min(table.size(), 64));
        Iterator<Key> it = table.keySet().iterator();
        Key k = it.next();
        while (skip-- > 0 && it.hasNext()) {
            k = it.next();
        }
        return k.bytes;
    }
}
