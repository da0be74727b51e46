package dev.peregrine.server.exec;

import dev.peregrine.protocol.ReplyWriter;
import dev.peregrine.protocol.RequestDecoder;
import io.netty.channel.Channel;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * One client connection's state.
 *
 * <p>Thread ownership: fields are executor-owned unless marked otherwise. The I/O thread owns the request
 * decoder (in the connection's handler); it reads {@link #closing} and writes the I/O statistics marked "I/O
 * thread", which the executor reads only approximately (CLIENT LIST, INFO).
 */
public final class Client {
    /** CLIENT REPLY modes. */
    public enum ReplyMode { ON, OFF, SKIP, SKIP_NEXT }

    private final long id;
    private final Channel channel;
    private final long createdAt;
    final ReplyWriter reply = new ReplyWriter();
    private final RequestDecoder decoder;

    // executor-owned
    int dbIndex;
    int protocol = 2;
    boolean authenticated;
    String user = "default";
    byte[] name;
    String libName;
    String libVersion;
    long lastInteraction;
    String lastCommand = "NULL";
    ReplyMode replyMode = ReplyMode.ON;
    boolean noEvict;
    boolean noTouch;
    boolean closeAfterReply;
    /**
     * Requests postponed by CLIENT PAUSE, in arrival order, or null when none wait: while set, every new batch
     * of this client is appended here, so its requests keep their order. Executor-owned.
     */
    java.util.List<Object> deferred;
    /**
     * What this client waits for while blocked on keys, or null. While set, {@link #deferred} holds the blocked
     * command first, then the requests that arrived after it. Executor-owned.
     */
    BlockingKeys.State blocked;
    /** While a woken client's command runs again: the time-out it first blocked with; otherwise -1. */
    long reprocessTimeoutAt = -1;
    /** The open MULTI transaction, from MULTI until EXEC or DISCARD finished; null otherwise. */
    Transaction multi;
    /** The client scripts run their commands as: blocking commands answer at once there. */
    boolean inScript;
    /** Redis's CLIENT_DIRTY_CAS: a watched key changed, so the next EXEC fails. */
    boolean dirtyCas;
    /** The keys this client WATCHes, or null. */
    java.util.ArrayList<WatchedKeys.Watch> watched;
    /** Client-side caching state (CLIENT TRACKING), or null when tracking was never turned on. */
    Tracking.State tracking;
    /** Channels, patterns and shard channels this client subscribes to, or null when none. */
    PubSub.Subscriptions subscriptions;
    /** Out-of-band output (Pub/Sub messages from other clients) not yet written, or null; see Engine#beginPush. */
    io.netty.buffer.ByteBuf pushOut;
    /** Writes into {@link #pushOut}. */
    final ReplyWriter push = new ReplyWriter();

    /**
     * Redis's CLIENT_PUBSUB: subscribed to at least one channel, pattern or shard channel. Written by the executor,
     * read by the I/O thread (output buffer limit class).
     */
    volatile boolean pubsub;

    /** Redis's {@code woff}: the replication offset just after this client's last propagated write (WAIT). */
    private long replOffset;

    public long replOffset() {
        return replOffset;
    }

    public void replOffset(long offset) {
        this.replOffset = offset;
    }

    /** Redis's CLIENT_SLAVE: the connection is a replica's (after SYNC/PSYNC); CLIENT LIST flag {@code S}. */
    private boolean replicaConnection;

    public boolean replicaConnection() {
        return replicaConnection;
    }

    public void replicaConnection(boolean on) {
        this.replicaConnection = on;
    }

    /** Set once the connection is closing or closed; read by both threads. */
    volatile boolean closing;

    // I/O thread statistics
    volatile long queryBufferBytes;
    volatile long totalNetInput;
    volatile long totalNetOutput;

    /**
     * @param decoder the connection's request decoder, told when authentication changes its limits
     */
    public Client(long id, Channel channel, RequestDecoder decoder, long now, boolean authenticated) {
        this.id = id;
        this.decoder = decoder;
        this.channel = channel;
        this.createdAt = now;
        this.lastInteraction = now;
        this.authenticated = authenticated;
    }

    /** The reply writer of the batch being run. Executor-only. */
    public ReplyWriter replyWriter() {
        return reply;
    }

    public long id() {
        return id;
    }

    public Channel channel() {
        return channel;
    }

    /** Unix time in ms the connection was accepted. */
    public long createdAt() {
        return createdAt;
    }

    public int dbIndex() {
        return dbIndex;
    }

    public void dbIndex(int db) {
        this.dbIndex = db;
    }

    /** 2 or 3. */
    public int protocol() {
        return protocol;
    }

    public void protocol(int protocol) {
        this.protocol = protocol;
        this.reply.protocol(protocol);
    }

    public boolean authenticated() {
        return authenticated;
    }

    public void authenticated(boolean authenticated, String user) {
        this.authenticated = authenticated;
        this.user = user;
        if (decoder != null) {
            decoder.authRequired(!authenticated);
        }
    }

    public String user() {
        return user;
    }

    /** The CLIENT SETNAME name, or null. */
    public byte[] name() {
        return name;
    }

    public void name(byte[] name) {
        this.name = name;
    }

    public String libName() {
        return libName;
    }

    public void libName(String libName) {
        this.libName = libName;
    }

    public String libVersion() {
        return libVersion;
    }

    public void libVersion(String libVersion) {
        this.libVersion = libVersion;
    }

    /** Unix time in ms of the last command. */
    public long lastInteraction() {
        return lastInteraction;
    }

    /** Lower-case name of the last command run (CLIENT LIST cmd=). */
    public String lastCommand() {
        return lastCommand;
    }

    public ReplyMode replyMode() {
        return replyMode;
    }

    public void replyMode(ReplyMode mode) {
        this.replyMode = mode;
    }

    public boolean noEvict() {
        return noEvict;
    }

    public void noEvict(boolean on) {
        this.noEvict = on;
    }

    public boolean noTouch() {
        return noTouch;
    }

    public void noTouch(boolean on) {
        this.noTouch = on;
    }

    /** Replies already produced are sent, then the connection closes (QUIT, protocol errors, CLIENT KILL). */
    public void closeAfterReply() {
        this.closeAfterReply = true;
    }

    public boolean closeAfterReplyPending() {
        return closeAfterReply;
    }

    /**
     * Whether requests of this client wait, for a CLIENT PAUSE to end or for a key it is blocked on (CLIENT LIST
     * flag {@code b}).
     */
    public boolean postponed() {
        return deferred != null;
    }

    /** Whether this client is blocked on keys by a blocking command. */
    public boolean blockedOnKeys() {
        return blocked != null;
    }

    /**
     * Whether a MULTI transaction is open, queuing or running in EXEC (then blocking commands answer at once as if
     * timed out).
     */
    public boolean inMulti() {
        return multi != null;
    }

    /** Whether this is the client Lua scripts run their commands as. */
    public boolean inScript() {
        return inScript;
    }

    /** Marks this client as the one scripts run their commands as. */
    public void inScript(boolean on) {
        this.inScript = on;
    }

    /** The open MULTI transaction, or null. */
    public Transaction multi() {
        return multi;
    }

    /** MULTI: opens a transaction; the caller checked none is open. */
    public void beginMulti() {
        multi = new Transaction();
    }

    /** Whether a watched key changed since WATCH (Redis's CLIENT_DIRTY_CAS, CLIENT LIST flag {@code d}). */
    public boolean dirtyCas() {
        return dirtyCas;
    }

    /** Marks the next EXEC as failing (a watched key changed or expired). */
    public void dirtyCas(boolean dirty) {
        this.dirtyCas = dirty;
    }

    /** Whether the client is in Pub/Sub mode (subscribed to anything; CLIENT LIST flag {@code P}). Any thread. */
    public boolean pubsub() {
        return pubsub;
    }

    public boolean closing() {
        return closing;
    }

    public long queryBufferBytes() {
        return queryBufferBytes;
    }

    public long totalNetInput() {
        return totalNetInput;
    }

    public long totalNetOutput() {
        return totalNetOutput;
    }

    /** {@code ip:port} of the peer, as CLIENT LIST addr=. */
    public String address() {
        return format(channel.remoteAddress());
    }

    /** {@code ip:port} of our side, as CLIENT LIST laddr=. */
    public String localAddress() {
        return format(channel.localAddress());
    }

    private static String format(SocketAddress a) {
        if (a instanceof InetSocketAddress) {
            InetSocketAddress i = (InetSocketAddress) a;
            String host = i.getAddress() != null ? i.getAddress().getHostAddress() : i.getHostString();
            return host + ":" + i.getPort();
        }
        return String.valueOf(a);
    }
}
