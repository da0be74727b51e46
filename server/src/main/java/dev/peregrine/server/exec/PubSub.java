package dev.peregrine.server.exec;

import dev.peregrine.protocol.ReplyWriter;
import dev.peregrine.storage.GlobMatcher;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The Pub/Sub registry (Redis's {@code server.pubsub_channels}, {@code pubsub_patterns},
 * {@code pubsubshard_channels} and each client's own sets) and message delivery. Subscription changes write the
 * subscribing client's confirmations into its reply; messages go to subscribers through
 * {@link Engine#beginPush}, which reaches clients on other connections too.
 *
 * <p>A client subscribed to anything is in Pub/Sub mode (Redis's CLIENT_PUBSUB): in RESP2 it may then only run
 * the subscription commands, PING, QUIT and RESET, and its output falls under the {@code pubsub} class of
 * {@code client-output-buffer-limit}. Executor-only.
 */
public final class PubSub {
    /** A channel or pattern name, hashable. */
    static final class Name {
        final byte[] bytes;
        private final int hash;

        Name(byte[] bytes) {
            this.bytes = bytes;
            this.hash = Arrays.hashCode(bytes);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Name && Arrays.equals(((Name) o).bytes, bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** One client's subscriptions, in subscription order. */
    static final class Subscriptions {
        final LinkedHashSet<Name> channels = new LinkedHashSet<>();
        final LinkedHashSet<Name> patterns = new LinkedHashSet<>();
        final LinkedHashSet<Name> shardChannels = new LinkedHashSet<>();

        boolean isEmpty() {
            return channels.isEmpty() && patterns.isEmpty() && shardChannels.isEmpty();
        }
    }

    /** Subscription kinds. */
    public enum Kind {
        CHANNEL("subscribe", "unsubscribe", "message"),
        PATTERN("psubscribe", "punsubscribe", "pmessage"),
        SHARD("ssubscribe", "sunsubscribe", "smessage");

        final byte[] subscribeWord;
        final byte[] unsubscribeWord;
        final byte[] messageWord;

        Kind(String subscribe, String unsubscribe, String message) {
            this.subscribeWord = subscribe.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            this.unsubscribeWord = unsubscribe.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            this.messageWord = message.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
    }

    private final Engine engine;
    private final HashMap<Name, LinkedHashSet<Client>> channels = new HashMap<>();
    private final LinkedHashMap<Name, LinkedHashSet<Client>> patterns = new LinkedHashMap<>();
    private final HashMap<Name, LinkedHashSet<Client>> shardChannels = new HashMap<>();
    private int pubsubClients;

    PubSub(Engine engine) {
        this.engine = engine;
    }

    private Map<Name, LinkedHashSet<Client>> server(Kind kind) {
        switch (kind) {
            case CHANNEL:
                return channels;
            case PATTERN:
                return patterns;
            default:
                return shardChannels;
        }
    }

    private static LinkedHashSet<Name> own(Subscriptions s, Kind kind) {
        switch (kind) {
            case CHANNEL:
                return s.channels;
            case PATTERN:
                return s.patterns;
            default:
                return s.shardChannels;
        }
    }

    /**
     * The count a confirmation carries: channels plus patterns for (P)SUBSCRIBE and (P)UNSUBSCRIBE, shard
     * channels alone for the S forms (as Redis).
     */
    private static int confirmationCount(Client c, Kind kind) {
        Subscriptions s = c.subscriptions;
        if (s == null) {
            return 0;
        }
        return kind == Kind.SHARD ? s.shardChannels.size() : s.channels.size() + s.patterns.size();
    }

    /**
     * SUBSCRIBE / PSUBSCRIBE / SSUBSCRIBE: subscribes {@code c} to each name (again is a no-op) and writes one
     * confirmation per name into its reply: {@code [subscribe, name, count]} as an array (RESP2) or a push
     * (RESP3). The client enters Pub/Sub mode.
     */
    public void subscribe(Client c, Kind kind, byte[][] names, int from) {
        if (c.subscriptions == null) {
            c.subscriptions = new Subscriptions();
        }
        ReplyWriter r = c.reply;
        for (int i = from; i < names.length; i++) {
            Name n = new Name(names[i]);
            if (own(c.subscriptions, kind).add(n)) {
                server(kind).computeIfAbsent(n, x -> new LinkedHashSet<>()).add(c);
            }
            r.pushHeader(3);
            r.bulk(kind.subscribeWord);
            r.bulk(names[i]);
            r.integer(confirmationCount(c, kind));
        }
        setMode(c, true);
    }

    /**
     * UNSUBSCRIBE / PUNSUBSCRIBE / SUNSUBSCRIBE with names ({@code from < names.length}) or without (every
     * subscription of the kind). Writes one confirmation per name, or one with a null name when there was
     * nothing to leave. The client leaves Pub/Sub mode once it has no subscription of any kind left.
     */
    public void unsubscribe(Client c, Kind kind, byte[][] names, int from) {
        ReplyWriter r = c.reply;
        if (from < names.length) {
            for (int i = from; i < names.length; i++) {
                remove(c, kind, new Name(names[i]));
                confirmUnsubscribe(r, c, kind, names[i]);
            }
        } else {
            List<Name> all = c.subscriptions == null ? List.of() : new ArrayList<>(own(c.subscriptions, kind));
            for (Name n : all) {
                remove(c, kind, n);
                confirmUnsubscribe(r, c, kind, n.bytes);
            }
            if (all.isEmpty()) {
                confirmUnsubscribe(r, c, kind, null);
            }
        }
        if (c.subscriptions == null || c.subscriptions.isEmpty()) {
            setMode(c, false);
        }
    }

    private static void confirmUnsubscribe(ReplyWriter r, Client c, Kind kind, byte[] name) {
        r.pushHeader(3);
        r.bulk(kind.unsubscribeWord);
        if (name == null) {
            r.nullBulk();
        } else {
            r.bulk(name);
        }
        r.integer(confirmationCount(c, kind));
    }

    private boolean remove(Client c, Kind kind, Name n) {
        if (c.subscriptions == null || !own(c.subscriptions, kind).remove(n)) {
            return false;
        }
        Map<Name, LinkedHashSet<Client>> m = server(kind);
        LinkedHashSet<Client> cs = m.get(n);
        if (cs != null) {
            cs.remove(c);
            if (cs.isEmpty()) {
                m.remove(n);
            }
        }
        return true;
    }

    /** Drops every subscription of {@code c} without confirmations (RESET, disconnect). */
    public void unsubscribeAll(Client c) {
        Subscriptions s = c.subscriptions;
        if (s == null) {
            return;
        }
        for (Kind kind : Kind.values()) {
            for (Name n : new ArrayList<>(own(s, kind))) {
                remove(c, kind, n);
            }
        }
        c.subscriptions = null;
        setMode(c, false);
    }

    private void setMode(Client c, boolean on) {
        if (c.pubsub != on) {
            c.pubsub = on;
            pubsubClients += on ? 1 : -1;
        }
        if (!on) {
            c.subscriptions = null;
        }
    }

    /**
     * PUBLISH (or SPUBLISH with {@code kind} SHARD): sends {@code message} to the subscribers of {@code channel}
     * ({@code [message, channel, payload]}) and, for PUBLISH, to every client with a matching pattern
     * ({@code [pmessage, pattern, channel, payload]}, once per matching pattern).
     *
     * @return the number of deliveries (Redis's receiver count)
     */
    public long publish(byte[] channel, byte[] message, Kind kind) {
        long receivers = 0;
        Map<Name, LinkedHashSet<Client>> direct = kind == Kind.SHARD ? shardChannels : channels;
        if (!direct.isEmpty()) {
            LinkedHashSet<Client> cs = direct.get(new Name(channel));
            if (cs != null) {
                for (Client c : cs.toArray(new Client[0])) {
                    ReplyWriter w = engine.beginPush(c);
                    w.pushHeader(3);
                    w.bulk(kind.messageWord);
                    w.bulk(channel);
                    w.bulk(message);
                    engine.endPush(c);
                    receivers++;
                }
            }
        }
        if (kind == Kind.SHARD || patterns.isEmpty()) {
            return receivers;
        }
        for (Map.Entry<Name, LinkedHashSet<Client>> e : new ArrayList<>(patterns.entrySet())) {
            byte[] pattern = e.getKey().bytes;
            if (!GlobMatcher.matches(pattern, channel, false)) {
                continue;
            }
            for (Client c : e.getValue().toArray(new Client[0])) {
                ReplyWriter w = engine.beginPush(c);
                w.pushHeader(4);
                w.bulk(Kind.PATTERN.messageWord);
                w.bulk(pattern);
                w.bulk(channel);
                w.bulk(message);
                engine.endPush(c);
                receivers++;
            }
        }
        return receivers;
    }

    /** Active channels (or shard channels) matching {@code pattern} (null: all), for PUBSUB CHANNELS. */
    public List<byte[]> channels(byte[] pattern, boolean shard) {
        List<byte[]> out = new ArrayList<>();
        for (Name n : (shard ? shardChannels : channels).keySet()) {
            if (pattern == null || GlobMatcher.matches(pattern, n.bytes, false)) {
                out.add(n.bytes);
            }
        }
        return out;
    }

    /** Subscribers of {@code channel} (not counting patterns), for PUBSUB NUMSUB / SHARDNUMSUB. */
    public int subscriberCount(byte[] channel, boolean shard) {
        LinkedHashSet<Client> cs = (shard ? shardChannels : channels).get(new Name(channel));
        return cs == null ? 0 : cs.size();
    }

    /** INFO pubsub_channels: channels with at least one subscriber. */
    public int channelCount() {
        return channels.size();
    }

    /** INFO pubsub_patterns and PUBSUB NUMPAT: distinct patterns with at least one subscriber. */
    public int patternCount() {
        return patterns.size();
    }

    /** INFO pubsubshard_channels. */
    public int shardChannelCount() {
        return shardChannels.size();
    }

    /** Clients in Pub/Sub mode (INFO pubsub_clients). */
    public int pubsubClients() {
        return pubsubClients;
    }

    /** CLIENT LIST sub=: channels {@code c} subscribes to. */
    public static int channelCount(Client c) {
        return c.subscriptions == null ? 0 : c.subscriptions.channels.size();
    }

    /** CLIENT LIST psub=. */
    public static int patternCount(Client c) {
        return c.subscriptions == null ? 0 : c.subscriptions.patterns.size();
    }

    /** CLIENT LIST ssub=. */
    public static int shardChannelCount(Client c) {
        return c.subscriptions == null ? 0 : c.subscriptions.shardChannels.size();
    }
}
