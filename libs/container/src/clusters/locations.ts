import { isZone } from './cluster-plan';

/**
 * How GKE writes a location in the links it returns: `projects/P/zones/Z` for a zone (the older path GKE still
 * answers with for zonal clusters), `projects/P/locations/R` for a region.
 */
export function locationPath(project: string, location: string): string {
  return `projects/${project}/${isZone(location) ? 'zones' : 'locations'}/${location}`;
}

export function clusterPath(project: string, location: string, name: string): string {
  return `${locationPath(project, location)}/clusters/${name}`;
}
