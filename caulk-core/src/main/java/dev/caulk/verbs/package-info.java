/**
 * The use-case layer: one small class per verb ({@code Build}, {@code Push}, {@code Copy}, {@code
 * Inspect}, {@code Audit}, {@code Rewrite}, {@code Sbom}, {@code Scan}, {@code Sign}, {@code
 * Verify}, …). Every front end (the CLI, the Maven plugin, a library user) calls these and nothing
 * else for a workflow; the CLI only parses options, calls a verb and prints its result.
 *
 * <p>Conventions every verb follows:
 *
 * <ul>
 *   <li>{@code public final class Verb} with a nested {@code Options} record made by {@code
 *       Verb.options()…build()} (a builder: no positional constructors of many components),
 *       validated in {@code build()}, which throws {@link InvalidOptionsException} (a usage
 *       mistake, exit code 2 in the CLI) with a one-line message naming the option;
 *   <li>{@code Result run(Options, Session)} (or a static {@code run}) returns a value, never
 *       prints: progress and logs go to the {@link dev.caulk.event.EventListener} of the {@link
 *       Session};
 *   <li>results hold values (digests, references, reports, findings), never streams or open files;
 *   <li>failures are exceptions with a one-line message; {@code IOException} for I/O.
 * </ul>
 *
 * <p>{@link Session} holds how to reach registries (credentials, TLS, retries, deadlines) and the
 * event listener; one session serves many verb calls.
 */
package dev.caulk.verbs;
