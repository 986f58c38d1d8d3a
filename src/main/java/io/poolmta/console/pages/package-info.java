/**
 * The console's pages: Java generated at build time from the jte templates in src/main/jte
 * (jte-maven-plugin), so a template that does not type-check fails the build. Output is HTML-escaped
 * by the template engine. Nothing here is written by hand but this file.
 */
package io.poolmta.console.pages;
