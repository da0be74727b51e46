package dev.peregrine.server.replication;

import dev.peregrine.persistence.rdb.RdbLoader;
import dev.peregrine.protocol.ProtocolException;
import dev.peregrine.protocol.RequestDecoder;
import dev.peregrine.protocol.RequestSink;
import dev.peregrine.replication.ChunkPipe;
import dev.peregrine.replication.EofMarkWindow;
import dev.peregrine.replication.RespCommands;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * One connection of this replica to its primary, as a Redis 7 replica drives it: the PSYNC2 handshake (PING,
 * AUTH, {@code REPLCONF listening-port}, {@code REPLCONF capa eof capa psync2}, {@code PSYNC <replid> <offset>}),
 * then either a full resynchronisation (the RDB as a sized bulk or a diskless {@code $EOF:<mark>} stream, written
 * to a temporary file or streamed to a loader thread, loaded by {@link RdbLoader} into fresh databases that the
 * executor swaps in) or a partial one ({@code +CONTINUE}), then the command stream, decoded here and applied on
 * the executor in order with the stream offset after each command.
 *
 * <p>Thread ownership: the handler's state belongs to the connection's I/O thread; fields read elsewhere (INFO,
 * the executor's cron) are volatile. Keyspace work goes through {@code Engine.execute}.
 */
final class ReplicaLink extends ChannelInboundHandlerAdapter implements RequestSink {
    private static final Logger log = LoggerFactory.getLogger(ReplicaLink.class);
    /** Bytes of a diskless transfer the loader may lag behind before the socket stops being read. */
    private static final long PIPE_HIGH = 16L << 20;
    private static final long PIPE_LOW = 4L << 20;

    /** Where the link is, as ROLE names it. */
    enum State {
        CONNECTING("connecting"), RECEIVE_PONG("handshake"), RECEIVE_AUTH("handshake"), RECEIVE_PORT("handshake"),
        RECEIVE_CAPA("handshake"), RECEIVE_PSYNC("handshake"), TRANSFER_HEADER("sync"), TRANSFER("sync"),
        LOADING("sync"), CONNECTED("connected"), CLOSED("connect");

        final String roleName;

        State(String roleName) {
            this.roleName = roleName;
        }
    }

    /** What the link needs from the server, captured on the executor when it is made. */
    record Settings(String host, int port, String masterUser, String masterAuth, int announcePort, String announceIp,
                    String psyncReplId, long psyncOffset, String disklessLoad, boolean datasetEmpty, Path dir,
                    String dbfilename, RdbLoader.Options loaderOptions, boolean failover) {
    }

    private final Replication replication;
    final Settings settings;
    private volatile State state = State.CONNECTING;
    private Channel channel;
    private ByteBuf cumulation;
    private final RequestDecoder decoder = new RequestDecoder(Long.MAX_VALUE / 4);

    // full resync
    private volatile String fullReplId;
    private volatile long fullOffset;
    private volatile long transferSize = -1;
    private volatile long transferRead;
    private volatile long lastTransferIo;
    private EofMarkWindow eofWindow;
    private FileChannel tempFile;
    private Path tempPath;
    private volatile ChunkPipe pipe;
    /** Bytes of the RDB the loader has read; the start of the load (Unix ms), 0 before. */
    private final java.util.concurrent.atomic.AtomicLong loadedBytes = new java.util.concurrent.atomic.AtomicLong();
    private volatile long loadStart;
    private volatile long loadTotal;
    private long lastProgressLog;

    // streaming
    /** Stream offset of the first byte in {@link #cumulation}. */
    private long readBase;
    private int decodeStart;
    private List<Object> batch;
    /** Offset read from the stream ({@code slave_read_repl_offset}). */
    volatile long readOffset;
    /** Unix ms of the last byte received. */
    volatile long lastIo = System.currentTimeMillis();
    /** Offset applied on the executor, sent in REPLCONF ACK. */
    volatile long ackOffset;
    private volatile boolean closedByUs;

    ReplicaLink(Replication replication, Settings settings) {
        this.replication = replication;
        this.settings = settings;
        this.readOffset = settings.psyncOffset() - 1;
        this.ackOffset = settings.psyncOffset() - 1;
    }

    State state() {
        return state;
    }

    boolean transferring() {
        return state == State.TRANSFER || state == State.LOADING;
    }

    /**
     * Whether clients get {@code -LOADING} now: while the RDB loads, except with {@code swapdb}, where the old
     * dataset is served meanwhile (then only commands flagged {@code no_async_loading} are refused).
     */
    boolean loadingBlocks() {
        State s = state;
        if (settings.disklessLoad().equals("swapdb")) {
            return false;
        }
        return s == State.LOADING || s == State.TRANSFER && pipe != null;
    }

    /** Whether an asynchronous (swapdb) load runs. */
    boolean asyncLoading() {
        State s = state;
        return settings.disklessLoad().equals("swapdb") && (s == State.TRANSFER || s == State.LOADING);
    }

    long transferSize() {
        return transferSize;
    }

    long transferRead() {
        return transferRead;
    }

    long lastTransferIo() {
        return lastTransferIo;
    }

    /** Closes the connection (REPLICAOF, time-out). Any thread. */
    void close() {
        closedByUs = true;
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        }
        ChunkPipe p = pipe;
        if (p != null) {
            p.fail("replication link closed");
        }
    }

    /** The connection attempt failed before it was established. */
    void connectFailed(Throwable cause) {
        state = State.CLOSED;
        log.warn("Error condition on socket for SYNC: {}", cause.getMessage());
    }

    /** Sends {@code REPLCONF ACK <offset>}. Any thread. */
    void sendAck(long offset) {
        Channel ch = channel;
        if (ch != null && state == State.CONNECTED) {
            ch.writeAndFlush(Unpooled.wrappedBuffer(RespCommands.encode("REPLCONF", "ACK", Long.toString(offset))),
                             ch.voidPromise());
        }
    }

    private void send(String... words) {
        channel.writeAndFlush(Unpooled.wrappedBuffer(RespCommands.encode(words)), channel.voidPromise());
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        log.info("MASTER <-> REPLICA sync started");
        state = State.RECEIVE_PONG;
        send("PING");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        lastIo = System.currentTimeMillis();
        replication.replInputBytes.add(in.readableBytes());
        cumulation = cumulation == null ? in : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), cumulation, in);
        try {
            process();
        } catch (IOException | RuntimeException e) {
            log.warn("Replication link error: {}", e.toString());
            ctx.close();
        }
        if (cumulation != null && !cumulation.isReadable()) {
            cumulation.release();
            cumulation = null;
        } else if (cumulation != null && state != State.CONNECTED) {
            cumulation.discardSomeReadBytes();
        }
    }

    private void process() throws IOException {
        while (cumulation != null && cumulation.isReadable()) {
            switch (state) {
                case RECEIVE_PONG, RECEIVE_AUTH, RECEIVE_PORT, RECEIVE_CAPA, RECEIVE_PSYNC, TRANSFER_HEADER -> {
                    String line = readLine();
                    if (line == null) {
                        return;
                    }
                    handshakeLine(line);
                }
                case TRANSFER -> transfer();
                case CONNECTED -> {
                    stream();
                    return;
                }
                default -> {
                    return; // LOADING: stream bytes wait in the cumulation until the dataset is installed
                }
            }
        }
    }

    private String readLine() {
        int nl = cumulation.indexOf(cumulation.readerIndex(), cumulation.writerIndex(), (byte) '\n');
        if (nl < 0) {
            return null;
        }
        int end = nl > cumulation.readerIndex() && cumulation.getByte(nl - 1) == '\r' ? nl - 1 : nl;
        String line = cumulation.toString(cumulation.readerIndex(), end - cumulation.readerIndex(),
                                          StandardCharsets.ISO_8859_1);
        cumulation.readerIndex(nl + 1);
        return line;
    }

    private void handshakeLine(String line) throws IOException {
        switch (state) {
            case RECEIVE_PONG -> {
                // an error about authentication is fine here: AUTH follows
                if (line.startsWith("-") && !line.startsWith("-NOAUTH") && !line.startsWith("-NOPERM")
                        && !line.startsWith("-ERR operation not permitted")) {
                    throw new IOException("Error reply to PING from master: '" + line.substring(1) + "'");
                }
                log.info("Master replied to PING, replication can continue...");
                if (settings.masterAuth() != null && !settings.masterAuth().isEmpty()) {
                    state = State.RECEIVE_AUTH;
                    if (settings.masterUser() != null && !settings.masterUser().isEmpty()) {
                        send("AUTH", settings.masterUser(), settings.masterAuth());
                    } else {
                        send("AUTH", settings.masterAuth());
                    }
                } else {
                    sendPort();
                }
            }
            case RECEIVE_AUTH -> {
                if (line.startsWith("-")) {
                    throw new IOException("Unable to AUTH to MASTER: " + line.substring(1));
                }
                sendPort();
            }
            case RECEIVE_PORT -> {
                if (pendingIpReply) {
                    pendingIpReply = false; // the reply to REPLCONF ip-address
                    return;
                }
                if (line.startsWith("-")) {
                    log.info("(Non critical) Master does not understand REPLCONF listening-port: {}", line);
                }
                state = State.RECEIVE_CAPA;
                send("REPLCONF", "capa", "eof", "capa", "psync2");
            }
            case RECEIVE_CAPA -> {
                if (line.startsWith("-")) {
                    log.info("(Non critical) Master does not understand REPLCONF capa: {}", line);
                }
                state = State.RECEIVE_PSYNC;
                log.info("Trying a partial resynchronization (request {}:{}).", settings.psyncReplId(),
                         settings.psyncOffset());
                if (settings.failover()) {
                    send("PSYNC", settings.psyncReplId(), Long.toString(settings.psyncOffset()), "FAILOVER");
                } else {
                    send("PSYNC", settings.psyncReplId(), Long.toString(settings.psyncOffset()));
                }
            }
            case RECEIVE_PSYNC -> psyncReply(line);
            case TRANSFER_HEADER -> bulkHeader(line);
            default -> throw new IllegalStateException(state.toString());
        }
    }

    private void sendPort() {
        state = State.RECEIVE_PORT;
        if (settings.announceIp() != null && !settings.announceIp().isEmpty()) {
            channel.write(Unpooled.wrappedBuffer(RespCommands.encode("REPLCONF", "ip-address", settings.announceIp())),
                          channel.voidPromise());
            pendingIpReply = true;
        }
        send("REPLCONF", "listening-port", Integer.toString(settings.announcePort()));
    }

    private boolean pendingIpReply;

    private void psyncReply(String line) throws IOException {
        if (line.isEmpty()) {
            return; // keep-alive newline while the primary prepares
        }
        if (line.startsWith("+FULLRESYNC")) {
            String[] p = line.split(" ");
            if (p.length < 3) {
                throw new IOException("Master replied with wrong +FULLRESYNC syntax.");
            }
            fullReplId = p[1];
            fullOffset = Long.parseLong(p[2]);
            log.info("Full resync from master: {}:{}", fullReplId, fullOffset);
            state = State.TRANSFER_HEADER;
            return;
        }
        if (line.startsWith("+CONTINUE")) {
            String[] p = line.split(" ");
            String newId = p.length > 1 && p[1].length() == 40 ? p[1] : null;
            log.info("Successful partial resynchronization with master.");
            readBase = settings.psyncOffset() - 1;
            readOffset = readBase;
            state = State.CONNECTED;
            Channel ch = channel;
            replication.engine().execute(() -> replication.partialResyncAccepted(this, newId, ch));
            return;
        }
        if (line.startsWith("-NOMASTERLINK") || line.startsWith("-LOADING")) {
            throw new IOException("Master is currently unable to PSYNC but should be in the future: " + line);
        }
        throw new IOException("Unexpected reply to PSYNC from master: " + line);
    }

    private void bulkHeader(String line) throws IOException {
        if (line.isEmpty()) {
            return; // keep-alive newline while the primary prepares the RDB
        }
        if (line.startsWith("-")) {
            throw new IOException("MASTER aborted replication with an error: " + line.substring(1));
        }
        if (!line.startsWith("$")) {
            throw new IOException("Bad protocol from MASTER, the first byte is not '$' (we received '" + line
                                  + "'), are you sure the host and port are right?");
        }
        if (line.startsWith("$EOF:")) {
            byte[] mark = line.substring(5).getBytes(StandardCharsets.ISO_8859_1);
            if (mark.length != 40) {
                throw new IOException("bad $EOF mark");
            }
            eofWindow = new EofMarkWindow(mark);
            transferSize = -1;
            log.info("MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF to {}",
                     toSocket() ? "parser" : "disk");
        } else {
            transferSize = Long.parseLong(line.substring(1));
            log.info("MASTER <-> REPLICA sync: receiving {} bytes from master to {}", transferSize,
                     toSocket() ? "parser" : "disk");
        }
        transferRead = 0;
        lastTransferIo = System.currentTimeMillis();
        if (toSocket()) {
            pipe = new ChunkPipe(PIPE_LOW);
            Channel ch = channel;
            pipe.onDrain(() -> ch.eventLoop().execute(() -> {
                if (state == State.TRANSFER) {
                    ch.config().setAutoRead(true);
                }
            }));
            startLoader(pipe, null);
        } else {
            tempPath = settings.dir().resolve("temp-" + (System.currentTimeMillis() / 1000) + "."
                                              + ProcessHandle.current().pid() + ".rdb");
            tempFile = FileChannel.open(tempPath, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                                        StandardOpenOption.WRITE);
        }
        state = State.TRANSFER;
    }

    /** Whether the RDB is loaded straight from the socket (diskless load) rather than through a file. */
    private boolean toSocket() {
        return switch (settings.disklessLoad()) {
            case "swapdb" -> true;
            case "on-empty-db" -> settings.datasetEmpty();
            default -> false;
        };
    }

    private void transfer() throws IOException {
        int n = cumulation.readableBytes();
        if (transferSize >= 0) {
            n = (int) Math.min(n, transferSize - transferRead);
        }
        byte[] chunk = new byte[n];
        cumulation.readBytes(chunk);
        transferRead += n;
        lastTransferIo = System.currentTimeMillis();
        if (lastTransferIo - lastProgressLog >= 10_000) {
            if (lastProgressLog != 0) {
                log.info("MASTER <-> REPLICA sync: {} bytes received{}", transferRead,
                         transferSize >= 0 ? String.format(" of %d (%.1f%%)", transferSize,
                                                           transferRead * 100.0 / Math.max(1, transferSize)) : "");
            }
            lastProgressLog = lastTransferIo;
        }
        boolean done;
        if (eofWindow != null) {
            done = eofWindow.offer(chunk, 0, n, this::payload);
        } else {
            payload(chunk, 0, n);
            done = transferRead == transferSize;
        }
        if (pipe != null && pipe.pendingBytes() > PIPE_HIGH) {
            channel.config().setAutoRead(false);
        }
        if (done) {
            transferDone();
        }
    }

    private void payload(byte[] b, int off, int len) {
        if (pipe != null) {
            pipe.write(b, off, len);
            return;
        }
        try {
            ByteBuffer bb = ByteBuffer.wrap(b, off, len);
            while (bb.hasRemaining()) {
                tempFile.write(bb);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void transferDone() throws IOException {
        state = State.LOADING;
        // what follows the RDB is the command stream, kept until the dataset is installed
        channel.config().setAutoRead(false);
        if (pipe != null) {
            pipe.finish();
            return;
        }
        tempFile.force(true);
        tempFile.close();
        tempFile = null;
        Path target = settings.dir().resolve(settings.dbfilename());
        Files.move(tempPath, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        log.info("MASTER <-> REPLICA sync: Loading DB in memory");
        startLoader(null, target);
    }

    /** Whether the loader runs (from the socket while the transfer goes on, or from the file after it). */
    boolean loaderRunning() {
        return loadStart != 0 && (state == State.TRANSFER || state == State.LOADING);
    }

    long loadStart() {
        return loadStart;
    }

    long loadedBytes() {
        return loadedBytes.get();
    }

    /** Bytes the load will read: the file's or the bulk's size, or what arrived so far for an EOF stream. */
    long loadTotal() {
        return loadTotal > 0 ? loadTotal : transferRead;
    }

    private void startLoader(InputStream source, Path file) {
        Channel ch = channel;
        loadedBytes.set(0);
        loadStart = System.currentTimeMillis();
        try {
            loadTotal = file != null ? Files.size(file) : transferSize;
        } catch (IOException e) {
            loadTotal = -1;
        }
        Thread t = new Thread(() -> {
            long now = System.currentTimeMillis();
            // a replica keeps keys whose time passed: its primary will send their deletion
            RdbLoader loader = new RdbLoader(settings.loaderOptions(), Long.MIN_VALUE,
                                             dev.peregrine.server.exec.Engine.lruClock(now));
            try (InputStream in = new BufferedInputStream(new java.io.FilterInputStream(
                    file != null ? Files.newInputStream(file) : source) {
                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    if (n > 0) {
                        loadedBytes.addAndGet(n);
                    }
                    return n;
                }
            }, 1 << 16)) {
                RdbLoader.Result result = loader.load(in);
                replication.engine().execute(() -> replication.fullSyncLoaded(this, result, fullReplId, fullOffset,
                                                                             ch));
            } catch (IOException | RuntimeException e) {
                log.warn("Failed trying to load the MASTER synchronization DB from {}: {}",
                         file != null ? "disk" : "socket", e.toString());
                ch.close();
            }
        }, "peregrine-repl-load");
        t.setDaemon(true);
        t.start();
    }

    /** On the executor once the dataset is installed: the command stream starts at {@code offset}. */
    void streamFrom(long offset) {
        channel.eventLoop().execute(() -> {
            if (state != State.LOADING) {
                return;
            }
            readBase = offset;
            readOffset = offset;
            ackOffset = offset;
            state = State.CONNECTED;
            log.info("MASTER <-> REPLICA sync: Finished with success");
            sendAck(offset);
            channel.config().setAutoRead(true);
            if (cumulation != null && cumulation.isReadable()) {
                try {
                    stream();
                } catch (RuntimeException e) {
                    log.warn("Replication link error: {}", e.toString());
                    channel.close();
                }
            }
        });
    }

    // ---------------------------------------------------------------- the command stream

    private void stream() {
        decodeStart = cumulation.readerIndex();
        batch = new ArrayList<>();
        long base = readBase;
        try {
            decoder.decode(cumulation, this);
        } catch (ProtocolException e) {
            throw new IllegalStateException("protocol error in the replication stream: " + e.getMessage());
        }
        readBase = base + (cumulation.readerIndex() - decodeStart);
        readOffset = readBase + cumulation.readableBytes();
        if (!batch.isEmpty()) {
            List<Object> b = batch;
            replication.engine().execute(() -> replication.apply(this, b));
        }
        batch = null;
        cumulation.discardSomeReadBytes();
    }

    @Override
    public void onCommand(byte[][] argv) {
        batch.add(argv);
        batch.add(readBase + (cumulation.readerIndex() - decodeStart));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        State was = state;
        state = State.CLOSED;
        if (cumulation != null) {
            cumulation.release();
            cumulation = null;
        }
        if (pipe != null) {
            pipe.fail("connection lost");
        }
        if (tempFile != null) {
            try {
                tempFile.close();
            } catch (IOException ignored) {
                // the file is removed below
            }
            tempFile = null;
            try {
                Files.deleteIfExists(tempPath);
            } catch (IOException ignored) {
                // a stale temp file is harmless
            }
        }
        if (!closedByUs) {
            log.info("Connection with master lost ({})", was.roleName);
        }
        replication.engine().execute(() -> replication.linkLost(this));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof IOException)) {
            log.warn("Replication link error", cause);
        }
        ctx.close();
    }
}
