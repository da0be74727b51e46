package dev.peregrine.server.command.server;

import dev.peregrine.protocol.ReplyWriter;
import dev.peregrine.server.command.CommandFamilies;
import dev.peregrine.server.command.CommandSpec;
import dev.peregrine.server.command.CommandTable;
import dev.peregrine.server.command.RealRedis;
import dev.peregrine.server.command.Resp;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The RESP3 shapes of COMMAND INFO and COMMAND DOCS entries (sets, maps, status flags), written straight from the
 * descriptors and compared with redis-server's RESP3 replies for the commands both have. Runs without HELLO.
 */
class CommandRepliesResp3Test {
    private static final String[] SHARED = {"ping", "echo", "select", "quit", "time", "lastsave", "shutdown",
        "debug", "command|count", "command|info", "command|docs", "command|list", "command|getkeys",
        "command|getkeysandflags", "command|help"};
    static RealRedis redis;
    static Socket socket;
    static CommandTable table = new CommandTable();

    @BeforeAll
    static void start() throws Exception {
        CommandFamilies.registerAll(table);
        redis = RealRedis.start();
        socket = redis.socket();
        Resp.call(socket, "HELLO", "3");
    }

    @AfterAll
    static void stop() throws Exception {
        if (socket != null) {
            socket.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private static CommandSpec spec(String fullName) {
        int bar = fullName.indexOf('|');
        if (bar < 0) {
            return table.lookup(fullName).spec();
        }
        return table.lookup(fullName.substring(0, bar)).subcommand(fullName.substring(bar + 1)).spec();
    }

    private static String write(java.util.function.Consumer<ReplyWriter> w) {
        ByteBuf buf = Unpooled.buffer();
        w.accept(new ReplyWriter().wrap(buf, 3));
        String s = buf.toString(StandardCharsets.ISO_8859_1);
        buf.release();
        return s;
    }

    @Test
    void infoEntriesMatchRedis() throws Exception {
        for (String name : SHARED) {
            String theirs = Resp.call(socket, "COMMAND", "INFO", name);
            String ours = "*1\r\n" + write(r -> CommandCommands.writeInfo(r, spec(name)));
            assertEquals(theirs, ours, name);
        }
    }

    @Test
    void docsEntriesMatchRedisApartFromSummary() throws Exception {
        for (String name : SHARED) {
            if (name.equals("quit")) {
                continue; // deprecated in 7.2; the reference server is 7.0
            }
            List<?> theirs = (List<?>) Resp.callParsed(socket, "COMMAND", "DOCS", name);
            String raw = write(r -> {
                r.mapHeader(1);
                r.bulk(spec(name).fullName());
                CommandCommands.writeDocs(r, spec(name));
            });
            assertEquals(true, raw.startsWith("%1\r\n"), raw);
            List<?> ours = (List<?>) Resp.parse(new ByteArrayInputStream(raw.getBytes(StandardCharsets.ISO_8859_1)));
            assertEquals(stripSummary(theirs), stripSummary(ours), name);
        }
    }

    @SuppressWarnings("unchecked")
    private static Object stripSummary(List<?> reply) {
        List<Object> doc = (List<Object>) reply.get(1);
        for (int k = 0; k < doc.size(); k += 2) {
            if ("summary".equals(doc.get(k))) {
                doc.set(k + 1, "<summary>");
            }
        }
        return reply;
    }
}
