package dev.peregrine.cli;

import dev.peregrine.protocol.ReplyFramer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code peregrine-cli [-h host] [-p port] [-a password] [-n db] [-2|-3] command [arg ...]}: sends one command and
 * prints its reply in redis-cli's raw form. This is the start of the admin CLI: the interactive mode, the
 * formatted terminal output and the other redis-cli modes are still to come.
 */
@Command(name = "peregrine-cli", mixinStandardHelpOptions = false, usageHelpAutoWidth = true,
         description = "Sends a command to a RESP server and prints the reply.")
public final class PeregrineCli implements Callable<Integer> {
    @Option(names = "-h", paramLabel = "<hostname>", description = "Server hostname (default: 127.0.0.1).")
    String host = "127.0.0.1";

    @Option(names = "-p", paramLabel = "<port>", description = "Server port (default: 6379).")
    int port = 6379;

    @Option(names = "-a", paramLabel = "<password>", description = "Password to use when connecting.")
    String password;

    @Option(names = "--user", paramLabel = "<username>", description = "Used to send ACL style 'AUTH username pass'.")
    String user;

    @Option(names = "-n", paramLabel = "<db>", description = "Database number.")
    int db;

    @Option(names = "-3", description = "Start session in RESP3 protocol mode.")
    boolean resp3;

    @Option(names = "-2", description = "Start session in RESP2 protocol mode.")
    boolean resp2;

    @Option(names = "--raw", description = "Use raw formatting for replies (the only form so far).")
    boolean raw;

    @Option(names = "--help", usageHelp = true, description = "Output this help and exit.")
    boolean help;

    @Parameters(paramLabel = "cmd", description = "The command and its arguments.")
    List<String> command = new ArrayList<>();

    private final PrintStream out;

    PeregrineCli(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    /** Runs with the given arguments, printing to {@code out}; returns the exit code. */
    static int run(String[] args, PrintStream out) {
        return new CommandLine(new PeregrineCli(out)).execute(args);
    }

    @Override
    public Integer call() throws IOException {
        if (command.isEmpty()) {
            System.err.println("peregrine-cli: interactive mode is not available yet; give a command");
            return 1;
        }
        try (Socket s = new Socket(host, port)) {
            s.setTcpNoDelay(true);
            Connection c = new Connection(s);
            if (resp3) {
                List<String> hello = new ArrayList<>(List.of("HELLO", "3"));
                if (password != null) {
                    hello.addAll(List.of("AUTH", user != null ? user : "default", password));
                }
                c.call(hello);
            } else if (password != null) {
                c.call(user != null ? List.of("AUTH", user, password) : List.of("AUTH", password));
            }
            if (db != 0) {
                c.call(List.of("SELECT", Integer.toString(db)));
            }
            Reply r = c.call(command);
            out.write(RawFormatter.format(r.buffer, r.start));
            out.write('\n');
            out.flush();
            return 0;
        } catch (IOException e) {
            System.err.println("Could not connect to Redis at " + host + ":" + port + ": " + e.getMessage());
            return 1;
        }
    }

    private static final class Reply {
        final ByteBuf buffer;
        final int start;

        Reply(ByteBuf buffer, int start) {
            this.buffer = buffer;
            this.start = start;
        }
    }

    /** A blocking connection that sends multibulk requests and reads whole replies. */
    private static final class Connection {
        private final InputStream in;
        private final OutputStream os;
        private final ByteBuf buffer = Unpooled.buffer();

        Connection(Socket s) throws IOException {
            this.in = s.getInputStream();
            this.os = s.getOutputStream();
        }

        Reply call(List<String> argv) throws IOException {
            StringBuilder sb = new StringBuilder();
            sb.append('*').append(argv.size()).append("\r\n");
            ByteBuf req = Unpooled.buffer();
            req.writeCharSequence(sb, StandardCharsets.US_ASCII);
            for (String a : argv) {
                byte[] b = a.getBytes(StandardCharsets.UTF_8);
                req.writeCharSequence("$" + b.length + "\r\n", StandardCharsets.US_ASCII);
                req.writeBytes(b).writeBytes(new byte[] {'\r', '\n'});
            }
            byte[] bytes = new byte[req.readableBytes()];
            req.readBytes(bytes);
            os.write(bytes);
            os.flush();
            buffer.discardReadBytes();
            int start = buffer.readerIndex();
            byte[] chunk = new byte[16384];
            while (true) {
                int end = buffer.isReadable() ? ReplyFramer.frameEnd(buffer, start) : -1;
                if (end >= 0) {
                    buffer.readerIndex(end);
                    return new Reply(buffer, start);
                }
                int n = in.read(chunk);
                if (n < 0) {
                    throw new IOException("Server closed the connection");
                }
                buffer.writeBytes(chunk, 0, n);
            }
        }
    }
}
