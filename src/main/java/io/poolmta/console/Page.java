package io.poolmta.console;

/** A page handler of the console. */
@FunctionalInterface
interface Page {
    ConsoleResponse handle(Call call);
}
