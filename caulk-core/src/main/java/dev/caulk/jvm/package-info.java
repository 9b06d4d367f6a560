/**
 * What a Java service needs to run from scratch, made from a JDK on the build host: the app's jar
 * read by content ({@link dev.caulk.jvm.AppJar}), the JDK checked ({@link dev.caulk.jvm.Jdk}), the
 * modules {@code jdeps} finds ({@link dev.caulk.jvm.Jdeps}), a minimal runtime made by {@code
 * jlink} and cached by its inputs ({@link dev.caulk.jvm.JavaRuntime}), the shared libraries that
 * runtime loads ({@link dev.caulk.jvm.RuntimeLibraries}, through {@code elf}), and a reproducible
 * PKCS#12 trust store from a PEM bundle ({@link dev.caulk.jvm.TrustStore}). It knows nothing of
 * images or layers: {@code build.JavaLayers} puts these into layers. See {@code docs/jvm.md}.
 */
package dev.caulk.jvm;
