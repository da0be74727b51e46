/** Lua scripting: EVAL scripts, function libraries, and the Lua runtime they run in. */
package dev.peregrine.server.script;
