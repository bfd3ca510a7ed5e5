import { webcrypto } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import * as x509 from '@peculiar/x509';
import { Database } from '@gke-emulator/db';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

/** Setting key of the CA; keys under `emulator.` are the emulator's identity and survive a reset. */
const CA_KEY = 'emulator.kubernetesCa';
const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const TEN_YEARS_MS = 10 * 365 * 24 * 3600 * 1000;

export interface CaMaterial {
  certificatePem: string;
  privateKeyPem: string;
}

export interface ServingCertificate {
  /** PEM: the server certificate followed by the CA */
  cert: string;
  key: string;
}

function pem(label: string, der: ArrayBuffer): string {
  const base64 = Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n');
  return `-----BEGIN ${label}-----\n${base64.trimEnd()}\n-----END ${label}-----\n`;
}

function derOf(pemText: string): ArrayBuffer {
  const base64 = pemText.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  const bytes = Buffer.from(base64, 'base64');
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
}

/**
 * The certificate authority every cluster reports in `masterAuth.clusterCaCertificate`, and that signs the
 * certificate of the Kubernetes API's TLS listener. One per database (every api process agrees), made on first
 * use; real GKE has one per cluster, which one TLS port serving every cluster cannot present to kubectl (no SNI for
 * IP addresses).
 */
@Injectable()
export class CertificateAuthority {
  private material?: Promise<CaMaterial>;

  constructor(private readonly db: Database) {}

  /** The CA certificate, base64 of its PEM, as `masterAuth.clusterCaCertificate` carries it. */
  async clusterCaCertificate(): Promise<string> {
    return Buffer.from((await this.ca()).certificatePem).toString('base64');
  }

  ca(): Promise<CaMaterial> {
    this.material ??= this.loadOrCreate().catch((error: unknown) => {
      this.material = undefined;
      throw error;
    });
    return this.material;
  }

  /** A certificate for the TLS listener, valid for the given host names and IP addresses. */
  async servingCertificate(hosts: readonly string[]): Promise<ServingCertificate> {
    const ca = await this.ca();
    const caCert = new x509.X509Certificate(ca.certificatePem);
    const caKey = await webcrypto.subtle.importKey('pkcs8', derOf(ca.privateKeyPem), ALGORITHM, false, [
      'sign',
    ]);
    const keys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
    const now = Date.now();
    const isIp = (host: string) => /^[\d.]+$/.test(host) || host.includes(':');
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: serial(),
      subject: 'CN=kube-apiserver',
      issuer: caCert.subject,
      notBefore: new Date(now - 3600_000),
      notAfter: new Date(now + TEN_YEARS_MS),
      signingAlgorithm: ALGORITHM,
      publicKey: keys.publicKey,
      signingKey: caKey,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
          true,
        ),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.SubjectAlternativeNameExtension(
          hosts.map((host) => ({ type: isIp(host) ? ('ip' as const) : ('dns' as const), value: host })),
        ),
      ],
    });
    const key = pem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
    return { cert: cert.toString('pem') + '\n' + ca.certificatePem, key };
  }

  private async loadOrCreate(): Promise<CaMaterial> {
    const existing = await this.read();
    if (existing) return existing;
    const created = await createCa();
    // Two processes may race to create it: the first insert wins and both use what was stored.
    await this.db.query(
      `INSERT INTO setting (key, value) VALUES ($1, $2::jsonb) ON CONFLICT (key) DO NOTHING`,
      [CA_KEY, JSON.stringify(created)],
    );
    const stored = await this.read();
    if (!stored) throw new Error('the Kubernetes CA could not be stored');
    return stored;
  }

  private async read(): Promise<CaMaterial | undefined> {
    const rows = await this.db.query<{ value: CaMaterial }>(`SELECT value FROM setting WHERE key = $1`, [
      CA_KEY,
    ]);
    return rows[0]?.value;
  }
}

function serial(): string {
  return Buffer.from(webcrypto.getRandomValues(new Uint8Array(8)))
    .toString('hex')
    .replace(/^[89a-f]/, '1');
}

async function createCa(): Promise<CaMaterial> {
  const keys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: 'CN=gke-emulator-ca',
    notBefore: new Date(now - 3600_000),
    notAfter: new Date(now + TEN_YEARS_MS),
    signingAlgorithm: ALGORITHM,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    ],
  });
  return {
    certificatePem: cert.toString('pem') + '\n',
    privateKeyPem: pem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)),
  };
}
