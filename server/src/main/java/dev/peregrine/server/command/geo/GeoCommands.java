package dev.peregrine.server.command.geo;

import dev.peregrine.protocol.ReplyWriter;
import dev.peregrine.server.command.CommandContext;
import dev.peregrine.server.command.CommandError;
import dev.peregrine.server.command.CommandTable;
import dev.peregrine.server.command.Errors;
import dev.peregrine.server.command.string.LongDouble;
import dev.peregrine.server.command.zset.Scores;
import dev.peregrine.server.command.zset.ZSetCommands;
import dev.peregrine.server.exec.KeyspaceEvents;
import dev.peregrine.storage.Database;
import dev.peregrine.storage.geo.GeoHash;
import dev.peregrine.storage.geo.GeoPoint;
import dev.peregrine.storage.geo.GeoSearch;
import dev.peregrine.storage.geo.GeoShape;
import dev.peregrine.storage.zset.ZSetLimits;
import dev.peregrine.storage.zset.ZSetValue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The geo commands (Redis's geo.c) over sorted sets whose scores are 52-bit geohashes ({@link GeoHash}):
 * GEOADD (through ZADD), GEOPOS, GEODIST, GEOHASH, GEOSEARCH, GEOSEARCHSTORE, and the legacy GEORADIUS,
 * GEORADIUSBYMEMBER and their _RO forms, all searches through {@link GeoSearch}. Distances are printed with four
 * decimals, coordinates as Redis's human-readable long doubles. Executor-only.
 */
public final class GeoCommands {
    private static final int RADIUS_COORDS = 1;
    private static final int RADIUS_MEMBER = 1 << 1;
    private static final int RADIUS_NOSTORE = 1 << 2;
    private static final int SEARCH = 1 << 3;
    private static final int SEARCHSTORE = 1 << 4;

    private static final int SORT_NONE = 0;
    private static final int SORT_ASC = 1;
    private static final int SORT_DESC = 2;

    static final String UNIT_ERROR = "ERR unsupported unit provided. please use M, KM, FT, MI";
    static final String MEMBER_ERROR = "ERR could not decode requested zset member";

    private GeoCommands() {
    }

    public static void register(CommandTable t) {
        t.register("geoadd", GeoCommands::geoadd);
        t.register("geopos", GeoCommands::geopos);
        t.register("geodist", GeoCommands::geodist);
        t.register("geohash", GeoCommands::geohash);
        t.register("georadius", c -> search(c, 1, RADIUS_COORDS));
        t.register("georadius_ro", c -> search(c, 1, RADIUS_COORDS | RADIUS_NOSTORE));
        t.register("georadiusbymember", c -> search(c, 1, RADIUS_MEMBER));
        t.register("georadiusbymember_ro", c -> search(c, 1, RADIUS_MEMBER | RADIUS_NOSTORE));
        t.register("geosearch", c -> search(c, 1, SEARCH));
        t.register("geosearchstore", c -> search(c, 2, SEARCH | SEARCHSTORE));
    }

    // ---------------------------------------------------------------- argument helpers

    private static ZSetValue readZSet(CommandContext c, byte[] key) {
        Object e = c.lookupRead(key);
        if (e != null && !(e instanceof ZSetValue)) {
            throw new CommandError(Errors.WRONGTYPE);
        }
        return (ZSetValue) e;
    }

    /** A double argument as Redis's getDoubleFromObject reads it, or {@code error}. */
    private static double doubleArg(CommandContext c, int i, String error) {
        double d = Scores.parseScore(c.arg(i));
        if (Double.isNaN(d)) {
            throw new CommandError(error);
        }
        return d;
    }

    /** A longitude, latitude pair at {@code i}, {@code i + 1} inside the indexable area. */
    static double[] lonLat(CommandContext c, int i) {
        double lon = doubleArg(c, i, Errors.NOT_FLOAT);
        double lat = doubleArg(c, i + 1, Errors.NOT_FLOAT);
        if (lon < GeoHash.LONG_MIN || lon > GeoHash.LONG_MAX || lat < GeoHash.LAT_MIN || lat > GeoHash.LAT_MAX) {
            throw new CommandError("ERR invalid longitude,latitude pair " + printfF(lon) + "," + printfF(lat));
        }
        return new double[] {lon, lat};
    }

    /** C's {@code %f}: six decimals, exact binary value rounded half-even; {@code inf} for infinities. */
    static String printfF(double d) {
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        String s = new BigDecimal(d).setScale(6, RoundingMode.HALF_EVEN).toPlainString();
        if ((d < 0 || (d == 0 && 1 / d < 0)) && s.charAt(0) != '-') {
            s = "-" + s;
        }
        return s;
    }

    /** Meters per unit of M, KM, FT or MI (any case). */
    static double unit(CommandContext c, int i) {
        if (c.argIs(i, "m")) {
            return 1;
        } else if (c.argIs(i, "km")) {
            return 1000;
        } else if (c.argIs(i, "ft")) {
            return 0.3048;
        } else if (c.argIs(i, "mi")) {
            return 1609.34;
        }
        throw new CommandError(UNIT_ERROR);
    }

    /** A distance as Redis prints it: rounded to four decimals (round-half-even on the scaled value). */
    static String distanceText(double d) {
        if (d == 0) {
            return "0.0000";
        }
        long v = (long) Math.rint(d * 10000.0);
        StringBuilder sb = new StringBuilder(24);
        if (v < 0) {
            sb.append('-');
            v = -v;
        }
        sb.append(v / 10000).append('.');
        String frac = Long.toString(v % 10000);
        for (int k = frac.length(); k < 4; k++) {
            sb.append('0');
        }
        return sb.append(frac).toString();
    }

    private static void replyDistance(ReplyWriter r, double d) {
        r.bulk(distanceText(d).getBytes(StandardCharsets.US_ASCII));
    }

    /** A coordinate as Redis's addReplyHumanLongDouble: a RESP3 double or a RESP2 bulk string. */
    private static void replyCoordinate(ReplyWriter r, double d) {
        r.doubleValue(LongDouble.format(new BigDecimal(d)));
    }

    // ---------------------------------------------------------------- GEOADD

    /** GEOADD key [NX|XX] [CH] longitude latitude member [...]: ZADD with geohash scores; ZADD's reply. */
    static void geoadd(CommandContext c) {
        boolean nx = false;
        boolean xx = false;
        int longIdx = 2;
        int argc = c.argc();
        while (longIdx < argc) {
            if (c.argIs(longIdx, "nx")) {
                nx = true;
            } else if (c.argIs(longIdx, "xx")) {
                xx = true;
            } else if (!c.argIs(longIdx, "ch")) {
                break;
            }
            longIdx++;
        }
        if ((argc - longIdx) % 3 != 0 || (xx && nx)) {
            throw new CommandError(Errors.SYNTAX);
        }
        int elements = (argc - longIdx) / 3;
        byte[][] argv = new byte[longIdx + elements * 2][];
        argv[0] = "zadd".getBytes(StandardCharsets.US_ASCII);
        for (int i = 1; i < longIdx; i++) {
            argv[i] = c.arg(i);
        }
        for (int i = 0; i < elements; i++) {
            int at = longIdx + i * 3;
            double[] xy = lonLat(c, at);
            long bits = GeoHash.score(xy[0], xy[1]);
            argv[longIdx + i * 2] = Long.toString(bits).getBytes(StandardCharsets.US_ASCII);
            argv[longIdx + i * 2 + 1] = c.arg(at + 2);
        }
        c.replaceArgv(argv);
        ZSetCommands.zaddGeneric(c, 0);
    }

    // ---------------------------------------------------------------- GEOPOS / GEODIST / GEOHASH

    /** GEOPOS key [member ...]: each member's [longitude, latitude], a null array for a missing one. */
    static void geopos(CommandContext c) {
        ZSetValue z = readZSet(c, c.arg(1));
        ReplyWriter r = c.reply();
        r.arrayHeader(c.argc() - 2);
        for (int j = 2; j < c.argc(); j++) {
            double score = z == null ? Double.NaN : z.score(c.arg(j));
            if (Double.isNaN(score)) {
                r.nullArray();
                continue;
            }
            double[] xy = GeoHash.decode(score);
            r.arrayHeader(2);
            replyCoordinate(r, xy[0]);
            replyCoordinate(r, xy[1]);
        }
    }

    /** GEODIST key member1 member2 [M|KM|FT|MI]: the distance, null when a member (or the key) is missing. */
    static void geodist(CommandContext c) {
        double toMeters = 1;
        if (c.argc() == 5) {
            toMeters = unit(c, 4);
        } else if (c.argc() > 5) {
            throw new CommandError(Errors.SYNTAX);
        }
        ZSetValue z = readZSet(c, c.arg(1));
        ReplyWriter r = c.reply();
        if (z == null) {
            r.nullBulk();
            return;
        }
        double s1 = z.score(c.arg(2));
        double s2 = Double.isNaN(s1) ? Double.NaN : z.score(c.arg(3));
        if (Double.isNaN(s2)) {
            r.nullBulk();
            return;
        }
        double[] a = GeoHash.decode(s1);
        double[] b = GeoHash.decode(s2);
        replyDistance(r, GeoHash.distance(a[0], a[1], b[0], b[1]) / toMeters);
    }

    /** GEOHASH key [member ...]: each member's 11-character standard geohash, null for a missing one. */
    static void geohash(CommandContext c) {
        ZSetValue z = readZSet(c, c.arg(1));
        ReplyWriter r = c.reply();
        r.arrayHeader(c.argc() - 2);
        for (int j = 2; j < c.argc(); j++) {
            double score = z == null ? Double.NaN : z.score(c.arg(j));
            if (Double.isNaN(score)) {
                r.nullBulk();
            } else {
                r.bulk(GeoHash.geohashString(score).getBytes(StandardCharsets.US_ASCII));
            }
        }
    }

    // ---------------------------------------------------------------- searches

    /**
     * Redis's georadiusGeneric: GEORADIUS key lon lat radius unit [...], GEORADIUSBYMEMBER key member radius
     * unit [...] (and _RO), GEOSEARCH key FROMMEMBER m|FROMLONLAT lon lat BYRADIUS r unit|BYBOX w h unit [...],
     * GEOSEARCHSTORE dst src [...] [STOREDIST]. Options: WITHDIST WITHHASH WITHCOORD ANY ASC DESC COUNT n, STORE
     * / STOREDIST key (GEORADIUS). Replies: an array of members (or [member, dist?, hash?, [lon, lat]?]); with a
     * store, the number of stored members.
     */
    static void search(CommandContext c, int srcKeyIdx, int flags) {
        ZSetValue z = readZSet(c, c.arg(srcKeyIdx));
        int argc = c.argc();
        byte[] storeKey = null;
        boolean storeDist = false;
        int baseArgs;
        double lon = 0;
        double lat = 0;
        int type = -1;
        double conversion = 1;
        double radius = 0;
        double width = 0;
        double height = 0;
        if ((flags & RADIUS_COORDS) != 0) {
            baseArgs = 6;
            type = GeoShape.CIRCLE;
            double[] xy = lonLat(c, 2);
            lon = xy[0];
            lat = xy[1];
            radius = radiusArg(c, baseArgs - 2);
            conversion = unit(c, baseArgs - 1);
        } else if ((flags & RADIUS_MEMBER) != 0 && z == null) {
            baseArgs = 5;
        } else if ((flags & RADIUS_MEMBER) != 0) {
            baseArgs = 5;
            type = GeoShape.CIRCLE;
            double[] xy = memberPosition(z, c.arg(2));
            lon = xy[0];
            lat = xy[1];
            radius = radiusArg(c, baseArgs - 2);
            conversion = unit(c, baseArgs - 1);
        } else {
            baseArgs = 2;
            if ((flags & SEARCHSTORE) != 0) {
                baseArgs = 3;
                storeKey = c.arg(1);
            }
        }
        boolean withDist = false;
        boolean withHash = false;
        boolean withCoords = false;
        boolean fromMember = false;
        boolean fromLoc = false;
        boolean byRadius = false;
        boolean byBox = false;
        boolean any = false;
        int sort = SORT_NONE;
        long count = 0;
        boolean search = (flags & SEARCH) != 0;
        boolean noStore = (flags & RADIUS_NOSTORE) != 0;
        int remaining = argc - baseArgs;
        for (int i = 0; i < remaining; i++) {
            int a = baseArgs + i;
            if (c.argIs(a, "withdist")) {
                withDist = true;
            } else if (c.argIs(a, "withhash")) {
                withHash = true;
            } else if (c.argIs(a, "withcoord")) {
                withCoords = true;
            } else if (c.argIs(a, "any")) {
                any = true;
            } else if (c.argIs(a, "asc")) {
                sort = SORT_ASC;
            } else if (c.argIs(a, "desc")) {
                sort = SORT_DESC;
            } else if (c.argIs(a, "count") && i + 1 < remaining) {
                count = c.longArg(a + 1);
                if (count <= 0) {
                    throw new CommandError("ERR COUNT must be > 0");
                }
                i++;
            } else if (c.argIs(a, "store") && i + 1 < remaining && !noStore && !search) {
                storeKey = c.arg(a + 1);
                storeDist = false;
                i++;
            } else if (c.argIs(a, "storedist") && i + 1 < remaining && !noStore && !search) {
                storeKey = c.arg(a + 1);
                storeDist = true;
                i++;
            } else if (c.argIs(a, "storedist") && search && (flags & SEARCHSTORE) != 0) {
                storeDist = true;
            } else if (c.argIs(a, "frommember") && i + 1 < remaining && search && !fromLoc) {
                if (z != null) {
                    double[] xy = memberPosition(z, c.arg(a + 1));
                    lon = xy[0];
                    lat = xy[1];
                }
                fromMember = true;
                i++;
            } else if (c.argIs(a, "fromlonlat") && i + 2 < remaining && search && !fromMember) {
                double[] xy = lonLat(c, a + 1);
                lon = xy[0];
                lat = xy[1];
                fromLoc = true;
                i += 2;
            } else if (c.argIs(a, "byradius") && i + 2 < remaining && search && !byBox) {
                radius = radiusArg(c, a + 1);
                conversion = unit(c, a + 2);
                type = GeoShape.CIRCLE;
                byRadius = true;
                i += 2;
            } else if (c.argIs(a, "bybox") && i + 3 < remaining && search && !byRadius) {
                width = doubleArg(c, a + 1, "ERR need numeric width");
                height = doubleArg(c, a + 2, "ERR need numeric height");
                if (height < 0 || width < 0) {
                    throw new CommandError("ERR height or width cannot be negative");
                }
                conversion = unit(c, a + 3);
                type = GeoShape.BOX;
                byBox = true;
                i += 3;
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        if (storeKey != null && (withDist || withHash || withCoords)) {
            throw new CommandError("ERR " + ((flags & SEARCHSTORE) != 0 ? "GEOSEARCHSTORE" : "STORE option in GEORADIUS")
                    + " is not compatible with WITHDIST, WITHHASH and WITHCOORD options");
        }
        if (search && !(fromMember || fromLoc)) {
            throw new CommandError("ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for "
                    + c.argString(0));
        }
        if (search && !(byRadius || byBox)) {
            throw new CommandError("ERR exactly one of BYRADIUS and BYBOX can be specified for " + c.argString(0));
        }
        if (any && count == 0) {
            throw new CommandError("ERR the ANY argument requires COUNT argument");
        }
        ReplyWriter r = c.reply();
        Database db = c.db();
        if (z == null) {
            if (storeKey != null) {
                if (db.remove(storeKey) != null) {
                    c.keyModified(db, storeKey);
                    c.notify(KeyspaceEvents.GENERIC, "del", db, storeKey);
                }
                r.integer(0);
            } else {
                r.emptyArray();
            }
            return;
        }
        if (count != 0 && sort == SORT_NONE && !any) {
            sort = SORT_ASC;
        }
        GeoShape shape = type == GeoShape.BOX ? GeoShape.box(lon, lat, width, height, conversion)
                : GeoShape.circle(lon, lat, radius, conversion);
        List<GeoPoint> hits = new ArrayList<>();
        GeoSearch.search(z, shape, any ? count : 0, hits);
        if (hits.isEmpty() && storeKey == null) {
            r.emptyArray();
            return;
        }
        if (sort == SORT_ASC) {
            hits.sort(Comparator.comparingDouble(GeoPoint::distance));
        } else if (sort == SORT_DESC) {
            hits.sort(Comparator.comparingDouble(GeoPoint::distance).reversed());
        }
        int returned = (int) (count == 0 || hits.size() < count ? hits.size() : count);
        if (storeKey == null) {
            int options = (withDist ? 1 : 0) + (withHash ? 1 : 0) + (withCoords ? 1 : 0);
            r.arrayHeader(returned);
            for (int i = 0; i < returned; i++) {
                GeoPoint p = hits.get(i);
                if (options > 0) {
                    r.arrayHeader(options + 1);
                }
                r.bulk(p.member());
                if (withDist) {
                    replyDistance(r, p.distance() / conversion);
                }
                if (withHash) {
                    r.integer((long) p.score());
                }
                if (withCoords) {
                    r.arrayHeader(2);
                    replyCoordinate(r, p.longitude());
                    replyCoordinate(r, p.latitude());
                }
            }
            return;
        }
        if (returned > 0) {
            ZSetLimits limits = ZSetCommands.limits(c);
            long maxLen = 0;
            for (int i = 0; i < returned; i++) {
                maxLen = Math.max(maxLen, hits.get(i).member().length);
            }
            ZSetValue dst = ZSetValue.create(storeKey, returned, maxLen, limits);
            for (int i = 0; i < returned; i++) {
                GeoPoint p = hits.get(i);
                dst.insertNew(p.member(), storeDist ? p.distance() / conversion : p.score(), limits);
            }
            db.put(storeKey, dst);
            c.keyModified(db, storeKey);
            c.dirty(returned - 1);
            c.signalKeyAsReady(db, storeKey);
            c.notify(KeyspaceEvents.ZSET, search ? "geosearchstore" : "georadiusstore", db, storeKey);
        } else if (db.remove(storeKey) != null) {
            c.keyModified(db, storeKey);
            c.notify(KeyspaceEvents.GENERIC, "del", db, storeKey);
        }
        r.integer(returned);
    }

    private static double radiusArg(CommandContext c, int i) {
        double d = doubleArg(c, i, "ERR need numeric radius");
        if (d < 0) {
            throw new CommandError("ERR radius cannot be negative");
        }
        return d;
    }

    private static double[] memberPosition(ZSetValue z, byte[] member) {
        double score = z.score(member);
        if (Double.isNaN(score)) {
            throw new CommandError(MEMBER_ERROR);
        }
        return GeoHash.decode(score);
    }
}
