package dev.peregrine.server.command;

import dev.peregrine.server.command.KeySpecs.KeyPosition;
import dev.peregrine.server.command.KeySpecs.KeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * {@link KeySpecs} against redis-server: the key specs of real Redis commands (taken from its COMMAND INFO) must
 * give the same legacy first/last/step, movablekeys flag and COMMAND GETKEYS / GETKEYSANDFLAGS answers.
 */
class KeySpecsTest {
    /** Command lines whose keys Redis finds through the key specs alone (no getkeys callback needed). */
    private static final String[][] LINES = {
        {"get", "k"},
        {"mset", "a", "1", "b", "2"},
        {"del", "a", "b", "c"},
        {"zunionstore", "d", "2", "a", "b", "weights", "1", "2"},
        {"zunionstore", "d", "5", "a", "b"},
        {"zunionstore", "d", "-1", "a", "b"},
        {"lmove", "a", "b", "left", "right"},
        {"rename", "a", "b"},
        {"xread", "count", "2", "streams", "s1", "s2", "0", "0"},
        {"xread", "streams", "s1", "s2", "0", "0"},
        {"blmpop", "0", "2", "a", "b", "left"},
        {"sintercard", "2", "a", "b", "limit", "1"},
        {"bitop", "and", "d", "a", "b"},
        {"pfmerge", "d", "a", "b"},
        {"zrangestore", "d", "s", "0", "1"},
        {"smove", "a", "b", "m"},
        {"eval", "return 1", "2", "a", "b", "c"},
        {"eval", "return 1", "0"},
        {"lcs", "a", "b"},
        {"georadius", "k", "0", "0", "1", "km", "store", "d"},
        {"xreadgroup", "group", "g", "c", "streams", "s1", "0"},
        {"object", "encoding", "k"},
        {"memory", "usage", "k"},
    };
    static RealRedis redis;
    static Socket socket;

    @BeforeAll
    static void start() throws Exception {
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

    @Test
    void legacyRangeAndMovableKeysMatchRedis() throws Exception {
        for (String[] line : LINES) {
            String name = line[0].equals("object") || line[0].equals("memory") ? line[0] + "|" + line[1] : line[0];
            List<?> info = redisInfo(name);
            List<KeySpec> specs = specsOf(info);
            int[] expected = {((Long) info.get(3)).intValue(), ((Long) info.get(4)).intValue(),
                ((Long) info.get(5)).intValue()};
            assertArrayEquals(expected, KeySpecs.legacyRange(specs), name);
            boolean movable = ((List<?>) info.get(2)).contains("+movablekeys");
            if (!name.equals("eval")) { // EVAL is movable through its key callback in Redis as well
                assertEquals(movable, KeySpecs.movable(specs), name);
            } else {
                assertEquals(true, KeySpecs.movable(specs));
            }
        }
    }

    @Test
    void getKeysMatchesRedis() throws Exception {
        for (String[] line : LINES) {
            String name = line[0].equals("object") || line[0].equals("memory") ? line[0] + "|" + line[1] : line[0];
            List<KeySpec> specs = specsOf(redisInfo(name));
            byte[][] argv = new byte[line.length][];
            for (int i = 0; i < line.length; i++) {
                argv[i] = line[i].getBytes(StandardCharsets.ISO_8859_1);
            }
            long arity = (Long) redisInfo(name).get(1);
            List<KeyPosition> found = KeySpecs.find(specs, argv, (int) arity);
            String[] cmd = new String[line.length + 2];
            cmd[0] = "COMMAND";
            cmd[1] = "GETKEYSANDFLAGS";
            System.arraycopy(line, 0, cmd, 2, line.length);
            Object theirs = Resp.callParsed(socket, cmd);
            if (theirs instanceof String err && err.startsWith("-")) {
                assertEquals(true, found == null || found.isEmpty(), String.join(" ", line) + " " + err);
                continue;
            }
            if (found == null) {
                found = List.of(); // an invalid search: COMMAND GETKEYS then answers [] for no_mandatory_keys
            }
            List<Object> ours = new ArrayList<>();
            for (KeyPosition k : found) {
                List<Object> flags = new ArrayList<>();
                for (String f : k.flags()) {
                    flags.add("+" + f);
                }
                ours.add(List.of(line[k.pos()], flags));
            }
            assertEquals(theirs, ours, String.join(" ", line));
        }
    }

    @Test
    void malformedKeyCountsAreInvalid() throws Exception {
        List<KeySpec> specs = specsOf(redisInfo("zunionstore"));
        byte[][] argv = {"zunionstore".getBytes(), "d".getBytes(), "x".getBytes(), "a".getBytes()};
        assertNull(KeySpecs.find(specs, argv, -4));
    }

    private static List<?> redisInfo(String name) throws Exception {
        return (List<?>) ((List<?>) Resp.callParsed(socket, "COMMAND", "INFO", name)).get(0);
    }

    /** Converts Redis's COMMAND INFO key specs (RESP3, parsed) into our descriptor shape and parses them. */
    static List<KeySpec> specsOf(List<?> info) {
        List<KeySpec> out = new ArrayList<>();
        for (Object o : (List<?>) info.get(8)) {
            Map<String, Object> spec = pairs(o);
            Map<String, Object> m = new LinkedHashMap<>();
            List<Object> flags = new ArrayList<>();
            for (Object f : (List<?>) spec.get("flags")) {
                flags.add(((String) f).substring(1));
            }
            m.put("flags", flags);
            Map<String, Object> bs = pairs(spec.get("begin_search"));
            Map<String, Object> bsSpec = pairs(bs.get("spec"));
            if (bs.get("type").equals("index")) {
                m.put("begin_search", Map.of("index", ((Long) bsSpec.get("index")).intValue()));
            } else if (bs.get("type").equals("keyword")) {
                m.put("begin_search", Map.of("keyword", Map.of("keyword", bsSpec.get("keyword"),
                        "startfrom", ((Long) bsSpec.get("startfrom")).intValue())));
            } else {
                m.put("begin_search", Map.of("unknown", Map.of()));
            }
            Map<String, Object> fk = pairs(spec.get("find_keys"));
            Map<String, Object> fkSpec = pairs(fk.get("spec"));
            if (fk.get("type").equals("range")) {
                m.put("find_keys", Map.of("range", Map.of("lastkey", intOf(fkSpec, "lastkey"),
                        "step", intOf(fkSpec, "keystep"), "limit", intOf(fkSpec, "limit"))));
            } else if (fk.get("type").equals("keynum")) {
                m.put("find_keys", Map.of("keynum", Map.of("keynumidx", intOf(fkSpec, "keynumidx"),
                        "firstkey", intOf(fkSpec, "firstkey"), "step", intOf(fkSpec, "keystep"))));
            } else {
                m.put("find_keys", Map.of("unknown", Map.of()));
            }
            out.add(KeySpecs.parse(m));
        }
        return out;
    }

    private static int intOf(Map<String, Object> m, String k) {
        return ((Long) m.get(k)).intValue();
    }

    private static Map<String, Object> pairs(Object list) {
        List<?> l = (List<?>) list;
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < l.size(); i += 2) {
            m.put((String) l.get(i), l.get(i + 1));
        }
        return m;
    }
}
