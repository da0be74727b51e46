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
     * Whether a MULTI transaction is open (then blocking commands answer at once as if timed out). Always false
     * until MULTI exists: the hook for it.
     */
    public boolean inMulti() {
        return false;
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
