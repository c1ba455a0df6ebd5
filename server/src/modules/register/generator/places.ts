/**
 * Places for the demo-data generator: municipalities of the canton of Lucerne,
 * street names, and Swiss towns outside the canton.
 *
 * BFS numbers and postal codes below were checked against the municipalities'
 * official fact boxes (state 2023–2025). Only municipalities whose number was
 * confirmed are listed; Honau is left out because it merged into Root on
 * 2025-01-01. Street names are plausible local names, not a verified street
 * directory: the demo must look familiar, not serve as a geocoder.
 */

export interface Municipality {
  readonly bfs: number;
  readonly name: string;
  /** Main postal code of the municipality. */
  readonly postalCode: string;
  /** Rough share of the canton's population (2023 residents / ~425,000). */
  readonly weight: number;
}

export interface StreetDef {
  readonly name: string;
  readonly postalCode: string;
  /** Postal locality; differs from the municipality name e.g. for 6020 Emmenbrücke. */
  readonly town: string;
}

export interface MunicipalityDetail extends Municipality {
  /** Share of residents without Swiss citizenship (2020–2023 figures, rounded). */
  readonly foreignShare: number;
  /** Typical number of dwellings per building: blocks in the agglomeration, houses in villages. */
  readonly dwellingsPerBuilding: number;
  readonly maxHouseNumber: number;
  readonly streets: readonly StreetDef[];
}

function streets(postalCode: string, town: string, names: string): StreetDef[] {
  return names.split(',').map((name) => ({ name: name.trim().normalize('NFC'), postalCode, town }));
}

const DETAILS: readonly MunicipalityDetail[] = [
  {
    bfs: 1061, name: 'Luzern', postalCode: '6003', weight: 0.2, foreignShare: 0.26,
    dwellingsPerBuilding: 14, maxHouseNumber: 120,
    streets: [
      ...streets('6003', 'Luzern', 'Pilatusstrasse, Hirschmattstrasse, Baselstrasse, Bernstrasse, Moosstrasse, Neustadtstrasse'),
      ...streets('6004', 'Luzern', 'Zürichstrasse, Maihofstrasse, Friedentalstrasse, St. Karli-Strasse, Weggisgasse'),
      ...streets('6005', 'Luzern', 'Tribschenstrasse, Langensandstrasse, Sternmattstrasse'),
      ...streets('6006', 'Luzern', 'Haldenstrasse, Würzenbachstrasse, Dreilindenstrasse, Adligenswilerstrasse'),
      ...streets('6014', 'Luzern', 'Luzernerstrasse, Thorenbergstrasse'),
      ...streets('6015', 'Luzern', 'Ruopigenstrasse, Hauptstrasse'),
    ],
  },
  {
    bfs: 1024, name: 'Emmen', postalCode: '6032', weight: 0.076, foreignShare: 0.38,
    dwellingsPerBuilding: 12, maxHouseNumber: 110,
    streets: [
      ...streets('6020', 'Emmenbrücke', 'Gerliswilstrasse, Rüeggisingerstrasse, Seetalstrasse, Neuenkirchstrasse, Sonnenplatz, Benziwilstrasse, Erlenstrasse'),
      ...streets('6032', 'Emmen', 'Kirchfeldstrasse, Buholzstrasse, Hasliring'),
    ],
  },
  {
    bfs: 1059, name: 'Kriens', postalCode: '6010', weight: 0.07, foreignShare: 0.21,
    dwellingsPerBuilding: 10, maxHouseNumber: 100,
    streets: streets('6010', 'Kriens', 'Luzernerstrasse, Schachenstrasse, Obernauerstrasse, Amlehnstrasse, Sonnenbergstrasse, Hergiswaldstrasse, Gallusstrasse'),
  },
  {
    bfs: 1058, name: 'Horw', postalCode: '6048', weight: 0.036, foreignShare: 0.18,
    dwellingsPerBuilding: 8, maxHouseNumber: 80,
    streets: streets('6048', 'Horw', 'Kantonsstrasse, Allmendstrasse, Technikumstrasse, Seestrasse, Ringstrasse, Gemeindehausplatz'),
  },
  {
    bfs: 1054, name: 'Ebikon', postalCode: '6030', weight: 0.035, foreignShare: 0.25,
    dwellingsPerBuilding: 9, maxHouseNumber: 80,
    streets: streets('6030', 'Ebikon', 'Luzernerstrasse, Zentralstrasse, Dorfstrasse, Schachenweidstrasse, Rigistrasse, Sagenmattstrasse'),
  },
  {
    bfs: 1103, name: 'Sursee', postalCode: '6210', weight: 0.025, foreignShare: 0.18,
    dwellingsPerBuilding: 8, maxHouseNumber: 70,
    streets: streets('6210', 'Sursee', 'Bahnhofstrasse, Centralstrasse, Münsterstrasse, Christoph-Schnyder-Strasse, Surentalstrasse, Allmendstrasse'),
  },
  {
    bfs: 1031, name: 'Hochdorf', postalCode: '6280', weight: 0.024, foreignShare: 0.22,
    dwellingsPerBuilding: 7, maxHouseNumber: 70,
    streets: streets('6280', 'Hochdorf', 'Hauptstrasse, Bankstrasse, Bellevuestrasse, Hohenrainstrasse, Sagenbachstrasse'),
  },
  {
    bfs: 1040, name: 'Rothenburg', postalCode: '6023', weight: 0.018, foreignShare: 0.12,
    dwellingsPerBuilding: 6, maxHouseNumber: 60,
    streets: streets('6023', 'Rothenburg', 'Stationsstrasse, Flecken, Bertiswilstrasse, Chärnsmattstrasse'),
  },
  {
    bfs: 1151, name: 'Willisau', postalCode: '6130', weight: 0.019, foreignShare: 0.14,
    dwellingsPerBuilding: 5, maxHouseNumber: 60,
    streets: streets('6130', 'Willisau', 'Menzbergstrasse, Hauptgasse, Bahnhofstrasse, Ettiswilerstrasse, Kreuzstrasse'),
  },
  {
    bfs: 1063, name: 'Meggen', postalCode: '6045', weight: 0.018, foreignShare: 0.17,
    dwellingsPerBuilding: 5, maxHouseNumber: 60,
    streets: streets('6045', 'Meggen', 'Hauptstrasse, Huobstrasse, Schlösslistrasse, Gottliebenstrasse, Am Dorfplatz'),
  },
  {
    bfs: 1062, name: 'Malters', postalCode: '6102', weight: 0.018, foreignShare: 0.15,
    dwellingsPerBuilding: 5, maxHouseNumber: 60,
    streets: streets('6102', 'Malters', 'Luzernstrasse, Bahnhofstrasse, Schachenstrasse, Kirchbühlstrasse'),
  },
  {
    bfs: 1052, name: 'Buchrain', postalCode: '6033', weight: 0.016, foreignShare: 0.23,
    dwellingsPerBuilding: 6, maxHouseNumber: 50,
    streets: streets('6033', 'Buchrain', 'Hauptstrasse, Rainstrasse, Gartenstrasse, Leisibachstrasse'),
  },
  {
    bfs: 1051, name: 'Adligenswil', postalCode: '6043', weight: 0.013, foreignShare: 0.13,
    dwellingsPerBuilding: 5, maxHouseNumber: 50,
    streets: streets('6043', 'Adligenswil', 'Dorfstrasse, Udligenswilerstrasse, Stuckistrasse, Luzernerstrasse'),
  },
  {
    bfs: 1107, name: 'Wolhusen', postalCode: '6110', weight: 0.01, foreignShare: 0.22,
    dwellingsPerBuilding: 5, maxHouseNumber: 50,
    streets: streets('6110', 'Wolhusen', 'Menznauerstrasse, Bahnhofstrasse, Kantonsstrasse, Hiltenbergstrasse'),
  },
];

export const MUNICIPALITY_DETAILS: readonly MunicipalityDetail[] = DETAILS;

export const LUCERNE_MUNICIPALITIES: ReadonlyArray<Municipality> = Object.freeze(
  DETAILS.map(({ bfs, name, postalCode, weight }) => Object.freeze({ bfs, name, postalCode, weight })),
);

/** Where Lucerne residents are born: the cantonal hospital sites dominate. */
export const BIRTH_TOWNS_LUCERNE: ReadonlyArray<readonly [string, number]> = [
  ['Luzern', 70],
  ['Sursee', 14],
  ['Wolhusen', 8],
  ['Emmen', 2],
  ['Kriens', 2],
  ['Hochdorf', 2],
  ['Willisau', 2],
];

/** Swiss towns outside the canton: previous residence, departure destination, birthplace. */
export const SWISS_TOWNS_OUTSIDE: readonly string[] = [
  'Zürich', 'Bern', 'Basel', 'Zug', 'Baar', 'Cham', 'Aarau', 'Olten', 'Schwyz', 'Küssnacht (SZ)',
  'Stans', 'Sarnen', 'Altdorf (UR)', 'Winterthur', 'St. Gallen', 'Solothurn', 'Zofingen', 'Baden',
  'Langenthal', 'Einsiedeln', 'Thun', 'Biel/Bienne', 'Chur', 'Lausanne', 'Genève', 'Fribourg', 'Lugano',
].map((t) => t.normalize('NFC'));

/** Heimatorte of Swiss citizens: old Lucerne places of citizenship first, then others. */
export const PLACES_OF_ORIGIN: ReadonlyArray<readonly [string, number]> = (
  [
    ['Luzern LU', 14], ['Entlebuch LU', 5], ['Escholzmatt-Marbach LU', 4], ['Ruswil LU', 5], ['Willisau LU', 5],
    ['Hasle (LU)', 3], ['Romoos LU', 2], ['Schüpfheim LU', 3], ['Flühli LU', 2], ['Menznau LU', 3], ['Sursee LU', 3],
    ['Emmen LU', 4], ['Kriens LU', 4], ['Hochdorf LU', 3], ['Sempach LU', 2], ['Malters LU', 3], ['Neuenkirch LU', 2],
    ['Buttisholz LU', 2], ['Wolhusen LU', 2], ['Horw LU', 2], ['Beromünster LU', 2], ['Triengen LU', 2],
    ['Bern BE', 3], ['Zürich ZH', 3], ['Schwyz SZ', 2], ['Stans NW', 1], ['Sarnen OW', 1], ['Basel BS', 1],
    ['Langnau im Emmental BE', 2], ['Trub BE', 1], ['Altdorf (UR)', 1], ['Glarus Nord GL', 1],
  ] as const
).map(([n, w]) => [n.normalize('NFC'), w] as const);

/** Where naturalised citizens most often acquired their Lucerne citizenship. */
export const NATURALISATION_PLACES: readonly string[] = ['Luzern LU', 'Emmen LU', 'Kriens LU', 'Ebikon LU', 'Horw LU', 'Sursee LU', 'Hochdorf LU'];
