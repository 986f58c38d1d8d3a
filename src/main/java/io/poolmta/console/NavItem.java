package io.poolmta.console;

/** One entry of the console's navigation: where it goes, its words, and the key pages mark as active. */
public record NavItem(String key, String label, String href) {}
