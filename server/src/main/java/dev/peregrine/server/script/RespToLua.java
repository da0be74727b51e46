package dev.peregrine.server.script;

import io.netty.buffer.ByteBuf;
import party.iroiro.luajava.Lua;

import java.nio.charset.StandardCharsets;

/**
 * Turns one RESP2/RESP3 reply, as a command wrote it for a script, into a Lua value pushed on the stack (Redis's
 * conversion table): integer → number, bulk → string, null bulk/array → false (RESP2) or nil (RESP3 null),
 * array → table, status → {@code {ok=}}, error → {@code {err=}}, map → {@code {map={k=v}}}, set →
 * {@code {set={m=true}}}, double → {@code {double=n}}, boolean → boolean, big number → {@code {big_number=}},
 * verbatim → {@code {verbatim_string={format=, string=}}}; attributes are skipped. Executor-only.
 */
final class RespToLua {
    private final LuaRuntime runtime;
    private final Lua l;
    private final ByteBuf in;

    RespToLua(LuaRuntime runtime, Lua l, ByteBuf in) {
        this.runtime = runtime;
        this.l = l;
        this.in = in;
    }

    /** Pushes the next reply in the buffer. */
    void value() {
        l.checkStack(4);
        byte type = in.readByte();
        switch (type) {
            case ':' -> l.push((double) Long.parseLong(line()));
            case '$' -> {
                int n = Integer.parseInt(line());
                if (n < 0) {
                    l.push(false);
                } else {
                    bytes(n);
                }
            }
            case '+' -> {
                l.createTable(0, 1);
                pushLine();
                l.setField(-2, "ok");
            }
            case '-' -> {
                l.createTable(0, 1);
                pushLine();
                l.setField(-2, "err");
            }
            case '*', '>' -> {
                int n = Integer.parseInt(line());
                if (n < 0) {
                    l.push(false);
                    return;
                }
                l.createTable(n, 0);
                for (int i = 1; i <= n; i++) {
                    value();
                    l.rawSetI(-2, i);
                }
            }
            case '%' -> {
                int n = Integer.parseInt(line());
                l.createTable(0, 1);
                l.createTable(0, n);
                for (int i = 0; i < n; i++) {
                    value();
                    value();
                    l.setTable(-3);
                }
                l.setField(-2, "map");
            }
            case '~' -> {
                int n = Integer.parseInt(line());
                l.createTable(0, 1);
                l.createTable(0, n);
                for (int i = 0; i < n; i++) {
                    value();
                    l.push(true);
                    l.setTable(-3);
                }
                l.setField(-2, "set");
            }
            case '_' -> {
                line();
                l.pushNil();
            }
            case '#' -> l.push(line().equals("t"));
            case ',' -> {
                String s = line();
                double d = switch (s) {
                    case "inf" -> Double.POSITIVE_INFINITY;
                    case "-inf" -> Double.NEGATIVE_INFINITY;
                    case "nan" -> Double.NaN;
                    default -> Double.parseDouble(s);
                };
                l.createTable(0, 1);
                l.push(d);
                l.setField(-2, "double");
            }
            case '(' -> {
                l.createTable(0, 1);
                pushLine();
                l.setField(-2, "big_number");
            }
            case '=' -> {
                int n = Integer.parseInt(line());
                byte[] b = new byte[n];
                in.readBytes(b);
                in.skipBytes(2);
                l.createTable(0, 1);
                l.createTable(0, 2);
                l.push(new String(b, 0, 3, StandardCharsets.ISO_8859_1));
                l.setField(-2, "format");
                runtime.pushBytes(l, b, 4, n - 4);
                l.setField(-2, "string");
                l.setField(-2, "verbatim_string");
            }
            case '|' -> {
                int n = Integer.parseInt(line());
                for (int i = 0; i < 2 * n; i++) {
                    value();
                    l.pop(1);
                }
                value();
            }
            default -> throw new IllegalStateException("unexpected reply type " + (char) type);
        }
    }

    private void bytes(int n) {
        byte[] b = new byte[n];
        in.readBytes(b);
        in.skipBytes(2);
        runtime.pushBytes(l, b, 0, n);
    }

    private void pushLine() {
        int start = in.readerIndex();
        int end = in.indexOf(start, in.writerIndex(), (byte) '\r');
        byte[] b = new byte[end - start];
        in.readBytes(b);
        in.skipBytes(2);
        runtime.pushBytes(l, b, 0, b.length);
    }

    private String line() {
        int start = in.readerIndex();
        int end = in.indexOf(start, in.writerIndex(), (byte) '\r');
        String s = in.toString(start, end - start, StandardCharsets.ISO_8859_1);
        in.readerIndex(end + 2);
        return s;
    }
}
