package dev.peregrine.server.command.datamodel;

import dev.peregrine.server.TestServer;
import dev.peregrine.server.diff.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.GeoCoordinate;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.args.BitOP;
import redis.clients.jedis.args.GeoUnit;
import redis.clients.jedis.params.BitPosParams;
import redis.clients.jedis.params.GeoSearchParam;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.params.XClaimParams;
import redis.clients.jedis.params.XPendingParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.GeoRadiusResponse;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.resps.StreamPendingEntry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The Redis 7.2 data model through a real client: the same Jedis calls for bitmaps, HyperLogLog, geo and streams
 * with consumer groups go to redis-server and to Peregrine, and what Jedis hands back must be equal (the wire
 * bytes are compared by the differential scripts; this checks that a client library reads ours the same way).
 */
class JedisDataModelTest {
    static TestServer server;
    static RedisServerProcess redis;
    static Jedis ours;
    static Jedis theirs;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        redis = RedisServerProcess.start();
        ours = server.jedis();
        theirs = new Jedis("127.0.0.1", redis.port(), 10_000);
    }

    @AfterAll
    static void stop() {
        ours.close();
        theirs.close();
        server.close();
        redis.close();
    }

    @BeforeEach
    void flush() {
        ours.flushAll();
        theirs.flushAll();
    }

    /** Runs each step on both servers and compares the results, step by step. */
    private static void same(List<Function<Jedis, Object>> steps) {
        for (int i = 0; i < steps.size(); i++) {
            Object expected = text(steps.get(i).apply(theirs));
            Object actual = text(steps.get(i).apply(ours));
            assertEquals(expected, actual, "step " + i);
        }
    }

    /** A comparable form of what Jedis returns (its reply classes do not all define equals). */
    private static Object text(Object o) {
        if (o instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object e : l) {
                out.add(text(e));
            }
            return out;
        }
        if (o instanceof Map.Entry<?, ?> e) {
            return text(e.getKey()) + "=" + text(e.getValue());
        }
        if (o instanceof GeoRadiusResponse g) {
            return g.getMemberByString() + "@" + g.getDistance() + "@" + text(g.getCoordinate());
        }
        if (o instanceof GeoCoordinate c) {
            return c.getLongitude() + "," + c.getLatitude();
        }
        if (o instanceof StreamEntry e) {
            return e.getID() + " " + e.getFields();
        }
        if (o instanceof StreamPendingEntry p) {
            return p.getID() + " " + p.getConsumerName() + " " + p.getDeliveredTimes();
        }
        return String.valueOf(o);
    }

    @Test
    void bitmaps() {
        same(List.of(
            j -> j.setbit("b", 7, true),
            j -> j.setbit("b", 100, true),
            j -> j.getbit("b", 100),
            j -> j.bitcount("b"),
            j -> j.bitcount("b", 0, 0),
            j -> j.bitpos("b", true),
            j -> j.bitpos("b", false, new BitPosParams(1)),
            j -> j.set("c", "foobar"),
            j -> j.bitop(BitOP.AND, "d", "b", "c"),
            j -> j.get("d"),
            j -> j.bitfield("bf", "SET", "u8", "0", "200", "INCRBY", "u8", "0", "100", "OVERFLOW", "SAT",
                    "INCRBY", "i5", "100", "1", "GET", "u4", "0"),
            j -> j.bitfieldReadonly("bf", "GET", "u8", "0"),
            j -> j.strlen("b")));
    }

    @Test
    void hyperLogLog() {
        same(List.of(
            j -> j.pfadd("h", "a", "b", "c", "d"),
            j -> j.pfadd("h", "a"),
            j -> j.pfcount("h"),
            j -> j.pfadd("h2", "x", "y"),
            j -> j.pfmerge("m", "h", "h2"),
            j -> j.pfcount("m"),
            j -> j.pfcount("h", "h2"),
            j -> j.get("m")));
    }

    @Test
    void geo() {
        same(List.of(
            j -> j.geoadd("g", 13.361389, 38.115556, "Palermo"),
            j -> j.geoadd("g", Map.of("Catania", new GeoCoordinate(15.087269, 37.502669))),
            j -> j.geodist("g", "Palermo", "Catania"),
            j -> j.geodist("g", "Palermo", "Catania", GeoUnit.KM),
            j -> j.geohash("g", "Palermo", "Catania", "nowhere"),
            j -> j.geopos("g", "Palermo", "nowhere"),
            j -> j.geosearch("g", new GeoSearchParam().fromLonLat(15, 37).byRadius(200, GeoUnit.KM).asc()
                    .withCoord().withDist()),
            j -> j.georadius("g", 15, 37, 200, GeoUnit.KM),
            j -> j.georadiusByMember("g", "Palermo", 300, GeoUnit.KM)));
    }

    @Test
    void streamsWithConsumerGroups() {
        same(List.of(
            j -> j.xadd("s", new StreamEntryID(1, 1), Map.of("f", "1")),
            j -> j.xadd("s", new StreamEntryID(2, 1), Map.of("f", "2")),
            j -> j.xadd("s", XAddParams.xAddParams().id(new StreamEntryID(3, 1)).maxLen(10), Map.of("f", "3")),
            j -> j.xlen("s"),
            j -> j.xrange("s", (StreamEntryID) null, (StreamEntryID) null),
            j -> j.xrevrange("s", (StreamEntryID) null, (StreamEntryID) null, 2),
            j -> j.xgroupCreate("s", "g", new StreamEntryID(0, 0), false),
            j -> j.xreadGroup("g", "c1", XReadGroupParams.xReadGroupParams().count(2),
                    Map.of("s", StreamEntryID.UNRECEIVED_ENTRY)),
            j -> j.xpending("s", "g").getTotal(),
            j -> j.xpending("s", "g", XPendingParams.xPendingParams().count(10)),
            j -> j.xack("s", "g", new StreamEntryID(1, 1)),
            j -> j.xclaimJustId("s", "g", "c2", 0, XClaimParams.xClaimParams(), new StreamEntryID(2, 1)),
            j -> j.xpending("s", "g", XPendingParams.xPendingParams().count(10)),
            j -> j.xdel("s", new StreamEntryID(3, 1)),
            j -> j.xinfoGroups("s").get(0).getGroupInfo().get("pending"),
            j -> j.xtrim("s", 1, false),
            j -> j.xgroupDestroy("s", "g")));
    }
}
