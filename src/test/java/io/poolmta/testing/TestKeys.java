package io.poolmta.testing;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;

/** Keys tests share: one RSA key made once per test run, so fixtures never wait for key generation. */
public final class TestKeys {
    private static volatile KeyPair rsa1024;

    private TestKeys() {}

    public static KeyPair rsa1024() {
        KeyPair pair = rsa1024;
        if (pair == null) {
            synchronized (TestKeys.class) {
                if (rsa1024 == null) {
                    try {
                        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                        generator.initialize(1024);
                        rsa1024 = generator.generateKeyPair();
                    } catch (GeneralSecurityException e) {
                        throw new IllegalStateException(e);
                    }
                }
                pair = rsa1024;
            }
        }
        return pair;
    }

    /** The private key as CreateEmailIdentity's DomainSigningPrivateKey takes it: base64 PKCS#8 DER. */
    public static String rsa1024Pkcs8Base64() {
        return Base64.getEncoder().encodeToString(rsa1024().getPrivate().getEncoded());
    }
}
