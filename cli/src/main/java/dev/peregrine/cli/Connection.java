package dev.peregrine.cli;

import dev.peregrine.protocol.ReplyFramer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A blocking connection to a RESP server over TCP, TLS or a unix socket: sends multibulk requests and reads whole
 * replies ({@link #call}), or sends raw bytes and reads replies independently ({@link #write} from one thread,
 * {@link #read} from another, as the pipe mode does).
 *
 * <p>At most one reading and one writing thread.
 */
final class Connection implements Closeable {
    /** The plain TCP or unix socket; {@code null} over TLS. */
    private final SocketChannel channel;
    /** The TLS socket and its streams; {@code null} without TLS. */
    private final javax.net.ssl.SSLSocket tls;
    private final java.io.InputStream tlsIn;
    private final java.io.OutputStream tlsOut;
    private final ByteBuf in = Unpooled.buffer(16384);
    private final ByteBuffer chunk = ByteBuffer.allocate(65536);

    private Connection(SocketChannel channel) {
        this.channel = channel;
        this.tls = null;
        this.tlsIn = null;
        this.tlsOut = null;
    }

    private Connection(javax.net.ssl.SSLSocket tls) throws IOException {
        this.channel = null;
        this.tls = tls;
        this.tlsIn = tls.getInputStream();
        this.tlsOut = tls.getOutputStream();
    }

    /** Wraps a TLS socket whose handshake is done. */
    static Connection tls(javax.net.ssl.SSLSocket socket) throws IOException {
        return new Connection(socket);
    }

    /** Connects over TCP to {@code host:port} with TCP_NODELAY. */
    static Connection tcp(String host, int port) throws IOException {
        SocketChannel ch = SocketChannel.open(new InetSocketAddress(host, port));
        ch.socket().setTcpNoDelay(true);
        return new Connection(ch);
    }

    /** Connects to the unix socket at {@code path}. */
    static Connection unix(String path) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(path));
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        return new Connection(ch);
    }

    /** Encodes {@code argv} as a RESP multibulk request. */
    static byte[] encode(List<byte[]> argv) {
        ReplyFormatter.Buf b = new ReplyFormatter.Buf();
        b.ascii("*" + argv.size() + "\r\n");
        for (byte[] a : argv) {
            b.ascii("$" + a.length + "\r\n").bytes(a).ascii("\r\n");
        }
        return b.toByteArray();
    }

    /** Sends one request and returns its reply (RESP3 pushes included: callers skip them with {@link #read}). */
    Reply call(List<byte[]> argv) throws IOException {
        write(encode(argv));
        return read();
    }

    /** Sends a request whose arguments are strings (UTF-8). */
    Reply callStrings(String... argv) throws IOException {
        List<byte[]> l = new java.util.ArrayList<>(argv.length);
        for (String a : argv) {
            l.add(a.getBytes(StandardCharsets.UTF_8));
        }
        return call(l);
    }

    /** Writes all of {@code bytes}. */
    void write(byte[] bytes) throws IOException {
        write(bytes, 0, bytes.length);
    }

    /** Writes {@code bytes[off, off + len)}. */
    void write(byte[] bytes, int off, int len) throws IOException {
        if (tls != null) {
            tlsOut.write(bytes, off, len);
            tlsOut.flush();
            return;
        }
        ByteBuffer b = ByteBuffer.wrap(bytes, off, len);
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    /** Reads the next whole reply; {@link IOException} when the server closes the connection first. */
    Reply read() throws IOException {
        int end = frame();
        Reply r = Reply.parse(in, in.readerIndex());
        in.readerIndex(end);
        return r;
    }

    /**
     * Reads the next whole reply and returns its type byte, leaving its text readable through {@link #lastError}
     * when it is an error (and {@link #lastBulk} when a 20-byte bulk); cheaper than {@link #read} for counting
     * replies.
     */
    byte skip() throws IOException {
        int end = frame();
        int start = in.readerIndex();
        byte type = in.getByte(start);
        lastError = null;
        lastBulk = null;
        if (type == '$' && end - start == 27 && in.getByte(start + 1) == '2' && in.getByte(start + 2) == '0') {
            lastBulk = new byte[20];
            in.getBytes(start + 5, lastBulk);
        } else if (type == '-') {
            byte[] b = new byte[end - start - 3];
            in.getBytes(start + 1, b);
            lastError = b;
        } else if (type == '!') {
            lastError = Reply.parse(in, start).str;
        }
        in.readerIndex(end);
        return type;
    }

    /** The text of the last error {@link #skip} met, or {@code null}. */
    byte[] lastError;
    /** The content of the last reply {@link #skip} met if it was a 20-byte bulk string, or {@code null}. */
    byte[] lastBulk;

    private int frame() throws IOException {
        while (true) {
            int end;
            try {
                end = in.isReadable() ? ReplyFramer.frameEnd(in, in.readerIndex()) : -1;
            } catch (IllegalArgumentException e) {
                // hiredis's wording, with the byte that starts no RESP type
                String m = String.valueOf(e.getMessage());
                String b = m.contains(": ") ? m.substring(m.lastIndexOf(": ") + 2) : "?";
                throw new IOException("Protocol error, got \"" + b + "\" as reply type byte");
            }
            if (end >= 0) {
                return end;
            }
            if (in.readerIndex() > 65536) {
                in.discardReadBytes();
            }
            chunk.clear();
            int n = tls != null ? tlsIn.read(chunk.array(), 0, chunk.capacity()) : channel.read(chunk);
            if (n < 0) {
                throw new IOException("Server closed the connection");
            }
            in.writeBytes(chunk.array(), 0, n);
        }
    }

    /**
     * Reads one line up to {@code \n} (raw protocol, as after SYNC), without the line end; {@link IOException} when
     * the server closes the connection first.
     */
    byte[] readRawLine() throws IOException {
        ReplyFormatter.Buf line = new ReplyFormatter.Buf();
        byte[] one = new byte[1];
        while (true) {
            if (readRaw(one, 0, 1) < 0) {
                throw new IOException("Server closed the connection");
            }
            if (one[0] == '\n') {
                byte[] b = line.toByteArray();
                return b.length > 0 && b[b.length - 1] == '\r' ? java.util.Arrays.copyOf(b, b.length - 1) : b;
            }
            line.write(one[0]);
        }
    }

    /** Reads up to {@code len} raw bytes (what is buffered first); -1 at the end of the stream. */
    int readRaw(byte[] dst, int off, int len) throws IOException {
        if (in.isReadable()) {
            int n = Math.min(len, in.readableBytes());
            in.readBytes(dst, off, n);
            return n;
        }
        if (tls != null) {
            return tlsIn.read(dst, off, len);
        }
        ByteBuffer b = ByteBuffer.wrap(dst, off, len);
        return channel.read(b);
    }

    @Override
    public void close() throws IOException {
        if (tls != null) {
            tls.close();
            return;
        }
        channel.close();
    }
}
