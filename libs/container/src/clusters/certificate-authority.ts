import { Injectable } from '@nestjs/common';
import { CertificateAuthorityRepository } from './certificate-authority.repository';

/** Setting keys of the CA and of the TLS listener's certificate; keys under `emulator.` survive a reset. */
const CA_KEY = 'emulator.kubernetesCa';
const SERVING_KEY = 'emulator.kubernetesServingCertificate';
/** A stored serving certificate closer than this to its end is replaced. */
const RENEW_BEFORE_MS = 30 * 24 * 3600 * 1000;

export interface CaMaterial {
  certificatePem: string;
  privateKeyPem: string;
}

export interface ServingCertificate {
  /** PEM: the server certificate followed by the CA */
  cert: string;
  key: string;
}

interface StoredServingCertificate extends ServingCertificate {
  /** Sorted host names and IP addresses the certificate covers. */
  hosts: string[];
  caCertificatePem: string;
  notAfter: string;
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

  constructor(private readonly repository: CertificateAuthorityRepository) {}

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

  /**
   * A certificate for the TLS listener, valid for the given host names and IP addresses. Kept in the database with
   * the hosts it covers and the CA that signed it: a start on the same hosts reuses it (minting one takes a key
   * pair and the X.509 library, a few hundred milliseconds of every start otherwise).
   */
  async servingCertificate(hosts: readonly string[]): Promise<ServingCertificate> {
    const ca = await this.ca();
    const wanted = [...new Set(hosts)].sort();
    const stored = await this.repository.read<StoredServingCertificate>(SERVING_KEY);
    if (
      stored &&
      stored.caCertificatePem === ca.certificatePem &&
      stored.hosts.join(',') === wanted.join(',') &&
      Date.parse(stored.notAfter) - Date.now() > RENEW_BEFORE_MS
    ) {
      return { cert: stored.cert, key: stored.key };
    }
    const { issueServingCertificate } = await import('./certificate-authority.x509');
    const issued = await issueServingCertificate(ca, wanted);
    const value: StoredServingCertificate = {
      hosts: wanted,
      caCertificatePem: ca.certificatePem,
      cert: issued.cert,
      key: issued.key,
      notAfter: issued.notAfter.toISOString(),
    };
    // Two processes starting at once each use their own; the last one stored is reused next time.
    await this.repository.upsert(SERVING_KEY, value);
    return { cert: issued.cert, key: issued.key };
  }

  private async loadOrCreate(): Promise<CaMaterial> {
    const existing = await this.read();
    if (existing) return existing;
    const { createCa } = await import('./certificate-authority.x509');
    const created = await createCa();
    // Two processes may race to create it: the first insert wins and both use what was stored.
    await this.repository.insertIfAbsent(CA_KEY, created);
    const stored = await this.read();
    if (!stored) throw new Error('the Kubernetes CA could not be stored');
    return stored;
  }

  private read(): Promise<CaMaterial | undefined> {
    return this.repository.read<CaMaterial>(CA_KEY);
  }
}
