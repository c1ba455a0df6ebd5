/**
 * Name material for the demo-data generator, one group per nationality of
 * Lucerne's resident population.
 *
 * Surnames are listed roughly most common first (the generator weights by rank);
 * first names roughly from older to younger generations (the generator draws older
 * persons from the front of the list, younger ones from the back). Spelling
 * families the fuzzy search must cope with are deliberately present:
 * Müller/Mueller/Muller, Meier/Meyer/Maier, Schnyder/Schneider,
 * Mohammed/Muhammad/Mohamed, Kovačević, Jovanović, Gonçalves, Özdemir, Nguyễn.
 * All strings are NFC-normalised when the module loads.
 */

import type { Random } from './random.js';

export type NamingStyle =
  /** Common family name, wife usually takes the husband's name, children the father's. */
  | 'western'
  /** Each spouse keeps the birth name; children take the father's. */
  | 'keep'
  /** Two surnames; children: father's first + mother's first. */
  | 'spanish'
  /** Two surnames; children: mother's last + father's last. */
  | 'portuguese'
  /** No inherited family name: a child's surname is the father's given name (Eritrea, Somalia). */
  | 'patronymic';

/** How pre-Unicode register software spelled a name: ü → ue (German habit) or plain stripping. */
export type FoldStyle = 'germanic' | 'plain';

export type ReligionTable = ReadonlyArray<readonly [string | null, number]>;

export interface NameGroup {
  /** Nationality code (ISO 3166-1 alpha-2, XK for Kosovo). */
  readonly code: string;
  /** Rough share among Lucerne's foreign residents (relative weight); 0 for the Swiss group. */
  readonly weight: number;
  readonly surnames: readonly string[];
  readonly male: readonly string[];
  readonly female: readonly string[];
  /** Birth towns in the country of origin. */
  readonly towns: readonly string[];
  readonly style: NamingStyle;
  /** Female form of a surname where the language inflects it (-ski → -ska). */
  readonly feminine: ((surname: string) => string) | null;
  /** Probability of a second given name. */
  readonly doubleFirstName: number;
  /** Legacy ASCII spelling style, null when names carry no diacritics. */
  readonly fold: FoldStyle | null;
  /** Surname as printed in the person's foreign passport when it differs, or null. */
  readonly passportName: ((surname: string, rng: Random) => string | null) | null;
  readonly passportNameRate: number;
  readonly religion: ReligionTable;
  /** Share of persons born abroad whose birth date is only partly known. */
  readonly partialBirthDateRate: number;
  /** Share of persons born abroad registered as born on 1 January (date unknown at entry). */
  readonly januaryFirstRate: number;
  /**
   * Share of households whose names older register software stored in ASCII, where it
   * differs from the default: letters outside Latin-1 (Turkish ı ş ğ, South Slavic č ć š ž đ,
   * Polish ł ś ż) were routinely transliterated in full, so "Yilmaz" and "Kovacevic" are
   * as common in Swiss records as the correct forms.
   */
  readonly legacyRate?: number;
  /** Relative surname frequencies where a few names dominate (Nguyễn: ~38 % of Vietnamese). */
  readonly surnameShares?: readonly number[];
}

const list = (s: string): string[] =>
  s
    .split(',')
    .map((x) => x.trim().normalize('NFC'))
    .filter((x) => x.length > 0);

// ---------------------------------------------------------------- transliteration helpers

const SERBIAN_DIGRAPHS: ReadonlyArray<readonly [string, string]> = [
  ['Lj', 'Љ'], ['lj', 'љ'], ['Nj', 'Њ'], ['nj', 'њ'], ['Dž', 'Џ'], ['dž', 'џ'],
];
const SERBIAN_LETTERS: Readonly<Record<string, string>> = {
  A: 'А', B: 'Б', C: 'Ц', Č: 'Ч', Ć: 'Ћ', D: 'Д', Đ: 'Ђ', E: 'Е', F: 'Ф', G: 'Г', H: 'Х', I: 'И', J: 'Ј',
  K: 'К', L: 'Л', M: 'М', N: 'Н', O: 'О', P: 'П', R: 'Р', S: 'С', Š: 'Ш', T: 'Т', U: 'У', V: 'В', Z: 'З', Ž: 'Ж',
  a: 'а', b: 'б', c: 'ц', č: 'ч', ć: 'ћ', d: 'д', đ: 'ђ', e: 'е', f: 'ф', g: 'г', h: 'х', i: 'и', j: 'ј',
  k: 'к', l: 'л', m: 'м', n: 'н', o: 'о', p: 'п', r: 'р', s: 'с', š: 'ш', t: 'т', u: 'у', v: 'в', z: 'з', ž: 'ж',
};

/** Serbian and Macedonian passports print the name in Cyrillic as well; Latin→Cyrillic is 1:1 for these names. */
export function toSerbianCyrillic(latin: string): string {
  let s = latin;
  for (const [from, to] of SERBIAN_DIGRAPHS) s = s.split(from).join(to);
  let out = '';
  for (const ch of s) out += SERBIAN_LETTERS[ch] ?? ch;
  return out;
}

const MACEDONIAN_DIGRAPHS: ReadonlyArray<readonly [string, string]> = [
  ['Gj', 'Ѓ'], ['gj', 'ѓ'], ['Kj', 'Ќ'], ['kj', 'ќ'], ['Dz', 'Ѕ'], ['dz', 'ѕ'],
];

/** Macedonian Latin writes ѓ, ќ, ѕ as gj, kj, dz; the rest maps like Serbian. */
export function toMacedonianCyrillic(latin: string): string {
  let s = latin;
  for (const [from, to] of MACEDONIAN_DIGRAPHS) s = s.split(from).join(to);
  return toSerbianCyrillic(s);
}

type Rewrite = string | ((match: string, ...groups: string[]) => string);

/** Applies one randomly chosen matching rule; null when none applies (the passport spelling is then the same). */
function ruleVariant(rules: ReadonlyArray<readonly [RegExp, Rewrite]>) {
  return (surname: string, rng: Random): string | null => {
    const applicable = rules.filter(([re]) => re.test(surname));
    if (applicable.length === 0) return null;
    const [re, to] = rng.pick(applicable);
    const out = typeof to === 'string' ? surname.replace(re, to) : surname.replace(re, to);
    return out === surname ? null : out;
  };
}

const slavicFeminine = (s: string): string =>
  s.replace(/ski$/, 'ska').replace(/cki$/, 'cka').replace(/dzki$/, 'dzka');

// ---------------------------------------------------------------- religions (BFS codes of eCH-0011)
// 111 reformed, 121 Roman Catholic, 122 Christ Catholic, 211 Jewish, 711 none,
// 811 other / not recognised by the canton, 000 unknown; null = not recorded.

const REL_SWISS: ReligionTable = [['121', 52], ['111', 10], ['122', 0.3], ['211', 0.2], ['711', 24], ['811', 3], ['000', 5], [null, 5.5]];
const REL_CATHOLIC: ReligionTable = [['121', 62], ['111', 2], ['711', 16], ['811', 3], ['000', 7], [null, 10]];
const REL_GERMAN: ReligionTable = [['121', 28], ['111', 22], ['711', 38], ['811', 2], ['000', 4], [null, 6]];
const REL_MUSLIM: ReligionTable = [['811', 45], ['711', 8], ['121', 2], ['000', 20], [null, 25]];
const REL_ORTHODOX: ReligionTable = [['811', 50], ['121', 6], ['711', 12], ['000', 14], [null, 18]];

// ---------------------------------------------------------------- groups

const CH: NameGroup = {
  code: 'CH', weight: 0,
  surnames: list(`Müller, Meier, Bucher, Wicki, Schmid, Amrein, Lustenberger, Portmann, Zemp, Keller, Stadelmann,
    Felder, Birrer, Huber, Bühlmann, Achermann, Steiner, Emmenegger, Weber, Schnyder, Meyer, Schneider, Fischer,
    Brunner, Wey, Muff, Estermann, Hofstetter, Gerber, Baumann, Frei, Zimmermann, Moser, Widmer, Wyss, Graf, Roth,
    Suter, Bachmann, Bühler, Kaufmann, Studer, Koch, Kunz, Vogel, Arnold, Kneubühler, Galliker, Zihlmann,
    Schürmann, Troxler, Unternährer, Bieri, Duss, Limacher, Lötscher, Renggli, Thalmann, Bürgi, Schwegler,
    Kurmann, Marti, Hodel, Egli, Huwiler, Mueller, Maier`),
  male: list(`Josef, Alois, Anton, Franz, Walter, Werner, Hans, Kurt, Bruno, Rolf, Peter, Urs, Beat, Roland, René,
    Markus, Thomas, Daniel, Martin, Christian, Andreas, Stefan, Reto, Roman, Michael, Patrick, Marco, Adrian,
    Pascal, Lukas, Simon, David, Fabian, Dominik, Sandro, Matthias, Samuel, Jan, Nico, Tim, Joel, Luca, Jonas,
    Levin, Janis, Lars, Elias, Leon, Noah, Liam`),
  female: list(`Margrit, Rosmarie, Heidi, Verena, Ruth, Elisabeth, Ursula, Marlies, Bernadette, Maria, Anna,
    Regula, Priska, Monika, Barbara, Brigitte, Susanne, Christine, Franziska, Karin, Claudia, Daniela, Andrea,
    Sandra, Nicole, Gabriela, Corinne, Martina, Jacqueline, Yvonne, Rahel, Sabrina, Jasmin, Michelle, Céline,
    Sarah, Laura, Lara, Julia, Lea, Nina, Livia, Chiara, Elena, Alina, Nora, Lina, Sofia, Emma, Mia`),
  towns: [],
  style: 'western', feminine: null, doubleFirstName: 0.3, fold: 'germanic',
  passportName: null, passportNameRate: 0, religion: REL_SWISS, partialBirthDateRate: 0, januaryFirstRate: 0,
};

const DE: NameGroup = {
  code: 'DE', weight: 15,
  surnames: list(`Müller, Schmidt, Schneider, Fischer, Meyer, Weber, Wagner, Becker, Schulz, Hoffmann, Schäfer,
    Koch, Bauer, Richter, Klein, Wolf, Schröder, Neumann, Schwarz, Zimmermann, Braun, Krüger, Hofmann, Hartmann,
    Lange, Schmitt, Werner, Schmitz, Krause, Meier, Lehmann, Schmid, Schulze, Maier, Köhler, Herrmann, König,
    Walter, Mayer, Huber, Kaiser, Fuchs, Peters, Lang, Scholz, Möller, Weiß, Jung, Hahn, Schubert, Vogel,
    Friedrich, Keller, Günther, Frank, Berger, Winkler, Roth, Beck, Lorenz, Baumann, Franke, Albrecht, Schuster,
    Böhm, Winter, Kraus, Krämer, Vogt, Jäger, Sommer, Groß, Mueller`),
  male: list(`Klaus, Jürgen, Dieter, Günter, Manfred, Wolfgang, Uwe, Rainer, Horst, Frank, Thomas, Michael,
    Andreas, Stefan, Matthias, Markus, Ralf, Jörg, Holger, Oliver, Sven, Christian, Tobias, Daniel, Alexander,
    Sebastian, Dennis, Philipp, Florian, Jan, Tim, Nils, Lukas, Felix, Jonas, Maximilian, Paul, Leon, Finn,
    Ben, Noah, Elias`),
  female: list(`Ursula, Renate, Monika, Karin, Gisela, Helga, Brigitte, Ingrid, Petra, Sabine, Andrea, Claudia,
    Susanne, Birgit, Heike, Silke, Anja, Nicole, Katrin, Stefanie, Julia, Christina, Sandra, Melanie, Jessica,
    Katharina, Lisa, Sarah, Laura, Anna, Lena, Johanna, Hannah, Lea, Marie, Sophie, Emilia, Mia, Emma, Clara`),
  towns: list(`Berlin, Hamburg, München, Köln, Frankfurt am Main, Stuttgart, Düsseldorf, Leipzig, Dresden,
    Freiburg im Breisgau, Karlsruhe, Konstanz, Ulm, Nürnberg, Hannover, Bremen, Mannheim, Lörrach`),
  style: 'western', feminine: null, doubleFirstName: 0.25, fold: 'germanic',
  passportName: null, passportNameRate: 0, religion: REL_GERMAN, partialBirthDateRate: 0.0005, januaryFirstRate: 0,
};

const PT: NameGroup = {
  code: 'PT', weight: 10,
  surnames: list(`Silva, Santos, Ferreira, Pereira, Oliveira, Costa, Rodrigues, Martins, Gonçalves, Fernandes,
    Sousa, Jesus, Gomes, Lopes, Marques, Alves, Almeida, Ribeiro, Pinto, Carvalho, Teixeira, Moreira, Correia,
    Mendes, Nunes, Soares, Vieira, Monteiro, Cardoso, Rocha, Neves, Coelho, Cruz, Cunha, Pires, Ramos, Reis,
    Simões, Antunes, Matos, Fonseca, Machado, Araújo, Barbosa, Tavares, Lourenço, Castro, Figueiredo, Azevedo,
    Freitas`),
  male: list(`Manuel, José, António, Joaquim, Fernando, Francisco, Carlos, Jorge, Mário, Luís, João, Paulo, Rui,
    Vítor, Sérgio, Pedro, Nuno, Ricardo, Miguel, Hugo, Bruno, Tiago, André, Fábio, Filipe, Daniel, Diogo,
    Rafael, Gonçalo, Duarte, Rodrigo, Martim, Tomás, Santiago`),
  female: list(`Maria, Fátima, Rosa, Isabel, Teresa, Helena, Ana, Paula, Cristina, Fernanda, Sandra, Susana, Sónia,
    Cláudia, Patrícia, Carla, Marta, Rita, Vera, Andreia, Liliana, Daniela, Joana, Catarina, Filipa, Raquel,
    Inês, Beatriz, Mariana, Sofia, Leonor, Matilde, Carolina, Lara`),
  towns: list(`Lisboa, Porto, Braga, Guimarães, Viseu, Coimbra, Aveiro, Leiria, Vila Real, Chaves, Bragança,
    Funchal, Setúbal, Viana do Castelo, Felgueiras, Amarante`),
  style: 'portuguese', feminine: null, doubleFirstName: 0.45, fold: 'plain',
  passportName: null, passportNameRate: 0, religion: REL_CATHOLIC, partialBirthDateRate: 0.0005, januaryFirstRate: 0,
};

const IT: NameGroup = {
  code: 'IT', weight: 9,
  surnames: list(`Rossi, Russo, Ferrari, Esposito, Bianchi, Romano, Colombo, Ricci, Marino, Greco, Bruno, Gallo,
    Conti, De Luca, Mancini, Costa, Giordano, Rizzo, Lombardi, Moretti, Barbieri, Fontana, Santoro, Mariani,
    Rinaldi, Caruso, Ferrara, Galli, Martini, Leone, Longo, Gentile, Martinelli, Vitale, Lombardo, Serra,
    Coppola, De Santis, D'Angelo, Marchetti, Parisi, Villa, Conte, Ferraro, Fabbri, Bianco, Marini, Grasso,
    Valentini, Messina, Sala, De Angelis, Gatti, Pellegrini, Palumbo, Sanna, Farina, Rizzi, Monti, Cattaneo`),
  male: list(`Giuseppe, Giovanni, Antonio, Mario, Luigi, Francesco, Angelo, Vincenzo, Pietro, Salvatore, Carlo,
    Franco, Domenico, Rocco, Michele, Giorgio, Sergio, Luciano, Paolo, Roberto, Claudio, Massimo, Stefano,
    Fabio, Marco, Andrea, Luca, Alessandro, Davide, Simone, Matteo, Lorenzo, Gabriele, Leonardo, Tommaso`),
  female: list(`Maria, Giuseppina, Rosa, Angela, Giovanna, Teresa, Carmela, Concetta, Antonietta, Lucia, Anna,
    Franca, Rita, Carla, Paola, Elena, Patrizia, Laura, Silvia, Francesca, Barbara, Monica, Elisa, Valentina,
    Federica, Chiara, Martina, Giulia, Sara, Alessia, Sofia, Aurora, Ginevra, Beatrice, Alice`),
  towns: list(`Roma, Milano, Napoli, Torino, Palermo, Bari, Catania, Lecce, Cosenza, Reggio Calabria, Salerno,
    Avellino, Foggia, Bergamo, Como, Udine, Treviso, Agrigento`),
  style: 'western', feminine: null, doubleFirstName: 0.12, fold: 'plain',
  passportName: null, passportNameRate: 0, religion: REL_CATHOLIC, partialBirthDateRate: 0.0005, januaryFirstRate: 0,
};

const XK: NameGroup = {
  code: 'XK', weight: 9,
  surnames: list(`Krasniqi, Gashi, Berisha, Morina, Shala, Hoxha, Bytyqi, Kelmendi, Rexhepi, Hasani, Thaçi,
    Maloku, Kastrati, Zeqiri, Sylejmani, Ahmeti, Osmani, Mustafa, Gjoka, Musliu, Halili, Jashari, Haliti,
    Ibrahimi, Kryeziu, Avdiu, Bajrami, Syla, Salihu, Rama, Hyseni, Dervishi, Aliu, Kabashi, Lleshi, Mehmeti,
    Qerimi, Dërmaku, Beqiri, Çitaku`),
  male: list(`Adem, Avni, Shaqir, Xhevdet, Naim, Agron, Bekim, Besnik, Blerim, Burim, Bujar, Fatmir, Lulzim,
    Florim, Ilir, Petrit, Shkëlzen, Valon, Visar, Ylber, Arben, Driton, Jeton, Mentor, Fitim, Liridon, Labinot,
    Kushtrim, Gentrit, Egzon, Arlind, Ardit, Dardan, Arianit, Granit, Enis, Albion, Leart, Rinor, Dion`),
  female: list(`Fatime, Shpresa, Ganimete, Lirije, Luljeta, Drita, Mimoza, Merita, Shqipe, Teuta, Valbona, Vjosa,
    Arta, Besa, Blerta, Donjeta, Edona, Fitore, Jehona, Kaltrina, Mirjeta, Njomza, Qëndresa, Albulena, Arbnora,
    Zana, Leonora, Rrezarta, Ardita, Diellza, Erza, Hana, Elsa, Ela, Rina, Dua`),
  towns: list(`Prishtinë, Prizren, Pejë, Gjakovë, Ferizaj, Gjilan, Mitrovicë, Podujevë, Vushtrri, Suharekë,
    Rahovec, Drenas, Lipjan, Kamenicë, Malishevë`),
  style: 'western', feminine: null, doubleFirstName: 0.02, fold: 'plain',
  passportName: null, passportNameRate: 0, religion: REL_MUSLIM, partialBirthDateRate: 0.002, januaryFirstRate: 0.01,
};

const RS: NameGroup = {
  code: 'RS', weight: 4,
  surnames: list(`Jovanović, Petrović, Nikolić, Marković, Đorđević, Stojanović, Ilić, Stanković, Pavlović,
    Milošević, Popović, Kovačević, Todorović, Ristić, Živković, Lazić, Mitrović, Savić, Milenković, Simić,
    Marinković, Radovanović, Tomić, Obradović, Vasić, Kostić, Stefanović, Đukić, Janković, Matić, Bogdanović,
    Lukić, Ivanović, Vuković, Stojković, Mladenović, Gajić, Ljubičić, Njegoš, Džaković`),
  male: list(`Dragan, Zoran, Milan, Goran, Slobodan, Predrag, Miroslav, Željko, Dejan, Nenad, Saša, Darko,
    Bojan, Igor, Vladimir, Aleksandar, Dušan, Ivan, Nikola, Marko, Stefan, Miloš, Nemanja, Uroš, Lazar, Luka,
    Vuk, Đorđe, Jovan, Petar, Vukašin, Andrej`),
  female: list(`Ljiljana, Snežana, Gordana, Mirjana, Dragana, Vesna, Biljana, Zorica, Slađana, Svetlana, Jasmina,
    Nataša, Danijela, Sanja, Ivana, Jelena, Marija, Ana, Aleksandra, Maja, Tamara, Tijana, Milica, Jovana,
    Katarina, Teodora, Nevena, Anđela, Sofija, Dunja, Mila, Petra`),
  towns: list(`Beograd, Novi Sad, Niš, Kragujevac, Subotica, Čačak, Kraljevo, Leskovac, Smederevo, Šabac,
    Valjevo, Vranje, Novi Pazar, Pančevo, Zrenjanin`),
  style: 'western', feminine: null, doubleFirstName: 0.02, fold: 'plain',
  passportName: (s) => toSerbianCyrillic(s), passportNameRate: 0.2,
  religion: REL_ORTHODOX, partialBirthDateRate: 0.001, januaryFirstRate: 0, legacyRate: 0.35,
};

/** North Macedonian nationals in Lucerne are Macedonians and, in large part, Albanians: two name groups, one nationality. */
const MK_MACEDONIAN: NameGroup = {
  code: 'MK', weight: 2,
  surnames: list(`Stojanovski, Petrovski, Nikolovski, Trajkovski, Jovanovski, Dimitrovski, Angelovski, Georgievski,
    Ristovski, Kostovski, Stefanovski, Mitrevski, Ilievski, Popovski, Todorovski, Spasovski, Pavlovski, Markovski,
    Velkovski, Andonovski, Nedelkovski, Janevski, Krstevski, Stojčevski, Gjorgjievski, Ivanov, Petrov, Georgiev,
    Dimitrov, Nikolov`),
  male: list(`Blagoja, Trajče, Dragan, Zoran, Goran, Dimitar, Vlatko, Igor, Toni, Nikola, Aleksandar, Darko,
    Vladimir, Zlatko, Mile, Boris, Dejan, Vasil, Kire, Marjan, Filip, Stefan, Andrej, Mihail, Darijan, Bojan,
    Martin, David, Luka, Matej`),
  female: list(`Vesna, Biljana, Snežana, Slavica, Lidija, Violeta, Suzana, Gordana, Elena, Marija, Katerina,
    Simona, Frosina, Aleksandra, Jovana, Ana, Ivana, Sanja, Tamara, Bojana, Monika, Kristina, Teodora, Eva,
    Marta, Sara, Mila, Angela, Dijana, Irena`),
  towns: list(`Skopje, Kumanovo, Bitola, Ohrid, Prilep, Veles, Štip, Strumica, Kavadarci, Kočani`),
  style: 'western', feminine: (s) => slavicFeminine(s).replace(/ov$/, 'ova').replace(/ev$/, 'eva'),
  doubleFirstName: 0.02, fold: 'plain',
  passportName: (s) => toMacedonianCyrillic(s), passportNameRate: 0.25,
  religion: REL_ORTHODOX, partialBirthDateRate: 0.001, januaryFirstRate: 0, legacyRate: 0.3,
};

const MK_ALBANIAN: NameGroup = {
  code: 'MK', weight: 2.5,
  surnames: list(`Ademi, Rexhepi, Memeti, Iseni, Idrizi, Asani, Sulejmani, Xhaferi, Ismaili, Shabani, Bajrami,
    Emini, Aliu, Ameti, Ramadani, Selmani, Zendeli, Veliu, Jashari, Ibraimi, Saliu, Murati, Fejzullahu, Useini,
    Qazimi, Mustafa, Destani, Imeri, Abdiu, Limani`),
  male: list(`Xhevat, Agim, Nexhat, Sami, Bujar, Fatmir, Arben, Ylber, Bekim, Driton, Besart, Fisnik, Muhamed,
    Mevlan, Afrim, Florim, Valdet, Gazmend, Shpend, Arianit, Alban, Arlind, Ardian, Enes, Eron, Rinor, Art, Jon,
    Leon, Dion`),
  female: list(`Hava, Xhemile, Sabrije, Mirvete, Lirie, Fatime, Nexhmije, Shqipe, Arta, Ardita, Besa, Arjeta,
    Leonora, Valentina, Mimoza, Drenusha, Elmedina, Albana, Edona, Erëblina, Fjolla, Blerina, Ajshe, Rita, Sara,
    Elsa, Ela, Anisa, Dua, Amelia`),
  towns: list(`Tetovo, Gostivar, Struga, Kičevo, Debar, Skopje, Kumanovo`),
  style: 'western', feminine: null, doubleFirstName: 0.02, fold: 'plain',
  passportName: null, passportNameRate: 0,
  religion: [['811', 48], ['711', 8], ['000', 18], [null, 26]], partialBirthDateRate: 0.001, januaryFirstRate: 0,
};

const ER: NameGroup = {
  code: 'ER', weight: 4,
  surnames: list(`Tesfay, Habte, Kidane, Berhane, Gebremedhin, Tekle, Ghebremariam, Gebrezgabiher, Haile, Mehari,
    Weldemichael, Tewelde, Tsegay, Andemariam, Ghirmay, Asfaha, Yohannes, Kahsay, Abraha, Bahta, Mengis,
    Okbamichael, Zerai, Woldu, Teklehaimanot, Fessehaye, Ghebreyesus, Negash, Araya, Hagos`),
  male: list(`Tesfay, Habte, Kidane, Berhane, Tekle, Haile, Mehari, Ghirmay, Yemane, Mulugeta, Tekeste, Weldu,
    Yohannes, Solomon, Abraham, Dawit, Yonas, Amanuel, Samuel, Filmon, Semere, Biniam, Robel, Mussie, Efrem,
    Daniel, Aron, Henok, Natnael, Kibrom, Fitsum, Michael, Teklay, Meron`),
  female: list(`Abrehet, Almaz, Azieb, Lemlem, Mebrat, Freweini, Tsega, Tirhas, Mehret, Senait, Helen, Elsa,
    Saba, Hiwet, Selam, Luwam, Ruta, Winta, Feven, Yordanos, Eden, Rahwa, Semhar, Yohana, Danait, Simret,
    Nardos, Milka, Sara, Ariam`),
  towns: list(`Asmara, Keren, Massawa, Mendefera, Dekemhare, Adi Keyh, Barentu, Assab, Adi Quala, Segeneiti,
    Ghinda, Senafe`),
  style: 'patronymic', feminine: null, doubleFirstName: 0, fold: null,
  // Tigrinya has no single Latin spelling: Swiss civil records and Eritrean passports often disagree.
  passportName: ruleVariant([
    [/ay$/, 'ai'], [/^Ghebre/, 'Gebre'], [/^Gebre/, 'Ghebre'], [/^Weld/, 'Wold'], [/^Wold/, 'Weld'],
    [/elde$/, 'olde'], [/^Tekle(?=h)/, 'Tekle '], [/^Okba/, 'Ogba'], [/ai$/, 'ay'],
  ]),
  passportNameRate: 0.3,
  religion: [['811', 55], ['121', 14], ['711', 3], ['000', 12], [null, 16]], partialBirthDateRate: 0.08, januaryFirstRate: 0.05,
};

const AF: NameGroup = {
  code: 'AF', weight: 3.2,
  surnames: list(`Ahmadi, Mohammadi, Hosseini, Rahimi, Karimi, Hakimi, Noori, Sultani, Amiri, Rezaei, Jafari,
    Haidari, Sadat, Stanikzai, Popal, Wardak, Safi, Azizi, Nazari, Yousufi, Rasuli, Habibi, Jalali, Qaderi,
    Sharifi, Alizada, Akbari, Barakzai, Niazi, Rahmani, Faizi, Zahir, Muhammadi`),
  male: list(`Mohammad, Ahmad, Abdul, Ghulam, Gul, Sayed, Habib, Bashir, Karim, Rahim, Nasir, Hamid, Farid,
    Wahid, Shafiq, Jawad, Reza, Ali, Hussain, Mustafa, Mahmood, Khalid, Jamshid, Omid, Samir, Elias, Morteza,
    Rahmatullah, Naqibullah, Zabihullah, Hamidullah, Muhammad, Ali Reza, Sohrab, Yasin`),
  female: list(`Gulalai, Zarghona, Khadija, Fatima, Masooma, Sakina, Mahboba, Laila, Parwana, Shabnam, Nargis,
    Freshta, Tahmina, Nilofar, Homa, Roya, Sima, Setara, Shirin, Zahra, Maryam, Zainab, Marwa, Mursal, Hadia,
    Yalda, Madina, Nazanin, Farzana, Arezo`),
  towns: list(`Kabul, Herat, Mazar-i-Sharif, Kandahar, Ghazni, Jalalabad, Kunduz, Baghlan, Bamyan, Maidan Shahr,
    Pul-e Khumri, Taloqan, Sar-e Pul`),
  style: 'keep', feminine: null, doubleFirstName: 0, fold: null,
  passportName: ruleVariant([
    [/i$/, 'y'], [/^Hosseini$/, 'Husseini'], [/^Mohammadi$/, 'Muhammadi'], [/oo/, 'u'], [/zai$/, 'zay'],
    [/^Jafari$/, 'Jaafari'], [/^Rezaei$/, 'Rezaie'], [/^Sadat$/, 'Saadat'],
  ]),
  passportNameRate: 0.2,
  religion: REL_MUSLIM, partialBirthDateRate: 0.1, januaryFirstRate: 0.2,
};

const ARABIC_VARIANTS: ReadonlyArray<readonly [RegExp, Rewrite]> = [
  [/^Al-/, 'Al '], [/^Al-/, 'El-'], [/^Al-(\w)/, (_m: string, c: string) => `Al${c.toLowerCase()}`], [/Mohammed/, 'Mohamad'], [/Mohammed/, 'Mohamed'], [/Mohamad/, 'Mohammed'],
  [/Hussein/, 'Hussain'], [/Hassan/, 'Hasan'], [/Youssef|Yousef/, 'Yusuf'], [/Khaled/, 'Khalid'],
  [/Mahmoud/, 'Mahmud'], [/ou/, 'u'], [/ee/, 'i'], [/^Abdul/, 'Abdel'], [/^Q/, 'K'],
  // German transliteration habits of older records: kh → ch, sh → sch, j → dsch.
  [/^Kh/, 'Ch'], [/^Sh/, 'Sch'], [/sh/, 'sch'], [/^J/, 'Dsch'],
];

const SY: NameGroup = {
  code: 'SY', weight: 3,
  surnames: list(`Al-Hassan, Al-Ahmad, Al-Ali, Hamdan, Ibrahim, Al-Hussein, Khalil, Mohammed, Haddad, Mahmoud,
    Othman, Suleiman, Darwish, Al-Khatib, Nasser, Saleh, Youssef, Al-Mohammad, Kurdi, Issa, Abdo, Sheikho,
    Hamo, Bakr, Rashid, Qasim, Sabbagh, Halabi, Shami, Masri, Jaber, Aziz, Khalaf, Khoury, Mansour, Omar`),
  male: list(`Mohammed, Ahmad, Mahmoud, Mustafa, Khaled, Hassan, Hussein, Ibrahim, Youssef, Abdullah, Omar, Ali,
    Jamal, Walid, Ziad, Nizar, Bashar, Fadi, Rami, Samer, Tarek, Amer, Anas, Hamza, Abdulrahman, Majd, Yazan,
    Rakan, Muhammad, Mohamed, Karim, Adam, Yamen`),
  female: list(`Fatima, Aisha, Khadija, Samira, Ghada, Huda, Hanan, Amal, Nisreen, Rania, Rasha, Hala, Lina, Dima,
    Reem, Mariam, Layla, Yasmin, Noor, Sara, Hiba, Zeinab, Salma, Bushra, Asmaa, Ruba, Rahaf, Shahd, Aya, Lana`),
  towns: list(`Damaskus, Aleppo, Homs, Hama, Latakia, Idlib, Deir ez-Zor, Raqqa, Qamischli, Hasaka, Afrin,
    Kobanê, Daraa, Tartus`),
  style: 'keep', feminine: null, doubleFirstName: 0, fold: null,
  passportName: ruleVariant(ARABIC_VARIANTS), passportNameRate: 0.25,
  religion: [['811', 40], ['121', 3], ['711', 8], ['000', 22], [null, 27]], partialBirthDateRate: 0.03, januaryFirstRate: 0.03,
};

const IQ: NameGroup = {
  code: 'IQ', weight: 1.1,
  surnames: list(`Hussein, Ahmed, Hassan, Mohammed, Ali, Abbas, Kareem, Jabbar, Hameed, Saeed, Qadir, Rasul, Aziz,
    Mahmood, Salih, Khalid, Ismail, Faraj, Rashid, Al-Jubouri, Al-Obaidi, Al-Tamimi, Mustafa, Omar, Othman`),
  male: list(`Mohammed, Ahmed, Ali, Hussein, Mohamed, Hassan, Abbas, Haider, Mustafa, Omar, Karim, Khalid, Salah, Saad,
    Ammar, Yasser, Zaid, Karwan, Rebwar, Dilshad, Sirwan, Hawre, Aram, Shwan, Kawa, Hemin, Muhammad, Yousif,
    Ibrahim, Adam, Ayman`),
  female: list(`Fatima, Zainab, Khadija, Amira, Nadia, Suad, Huda, Layla, Noor, Mariam, Sara, Rusul, Ruqaya,
    Shilan, Nasrin, Bahar, Hana, Avin, Rozhin, Dilan, Zahra, Aya, Tabarak, Fatimah, Duaa, Shaima`),
  towns: list(`Bagdad, Mossul, Erbil, Sulaimaniya, Kirkuk, Dohuk, Basra, Nadschaf, Kerbela, Halabdscha, Zakho`),
  style: 'keep', feminine: null, doubleFirstName: 0, fold: null,
  passportName: ruleVariant(ARABIC_VARIANTS), passportNameRate: 0.25,
  religion: REL_MUSLIM, partialBirthDateRate: 0.04, januaryFirstRate: 0.05,
};

const TR: NameGroup = {
  code: 'TR', weight: 3.4,
  surnames: list(`Yılmaz, Kaya, Özdemir, Demir, Şahin, Çelik, Yıldız, Yıldırım, Öztürk, Aydın, Arslan, Doğan,
    Kılıç, Aslan, Çetin, Kara, Koç, Kurt, Özkan, Şimşek, Polat, Korkmaz, Özcan, Erdoğan, Yavuz, Can, Acar,
    Aksoy, Güneş, Bulut, Keskin, Ünal, Turan, Tekin, Güler, Karaca, Avcı, Gül, Bozkurt, Uçar`),
  male: list(`Mehmet, Mustafa, Ahmet, Ali, Hüseyin, Hasan, İbrahim, İsmail, Osman, Ramazan, Halil, Süleyman,
    Mahmut, Recep, Kemal, Orhan, Metin, Murat, Kadir, Erkan, Hakan, Gökhan, Serkan, Volkan, Zafer, Fatih, Cem,
    Onur, Emre, Burak, Tolga, Deniz, Can, Yusuf, Ömer, Muhammed, Yasin, Emir, Eymen, Kerem`),
  female: list(`Fatma, Ayşe, Emine, Hatice, Zeynep, Şerife, Hanife, Sultan, Gülsüm, Meryem, Leyla, Hülya, Nurcan,
    Songül, Sibel, Özlem, Derya, Ebru, Dilek, Yasemin, Seda, Esra, Tuğba, Merve, Büşra, Elif, Aylin, Zehra,
    Ecrin, Defne, Azra, Eylül, Nehir`),
  towns: list(`İstanbul, Ankara, İzmir, Bursa, Konya, Kayseri, Gaziantep, Adana, Diyarbakır, Malatya, Sivas,
    Tunceli, Erzurum, Kahramanmaraş, Yozgat, Trabzon`),
  style: 'western', feminine: null, doubleFirstName: 0.05, fold: 'germanic',
  passportName: null, passportNameRate: 0, religion: REL_MUSLIM, partialBirthDateRate: 0.001, januaryFirstRate: 0.01,
  legacyRate: 0.5,
};

const HR: NameGroup = {
  code: 'HR', weight: 3.6,
  surnames: list(`Horvat, Kovačević, Babić, Marić, Jurić, Novak, Kovačić, Knežević, Vuković, Marković, Petrović,
    Matić, Tomić, Pavlović, Kovač, Božić, Blažević, Grgić, Pavić, Radić, Perić, Filipović, Šarić, Lovrić,
    Vidović, Perković, Popović, Bošnjak, Jukić, Barišić, Mandić, Šimić, Čović, Đurić`),
  male: list(`Stjepan, Josip, Franjo, Antun, Ivica, Dragutin, Marijan, Mladen, Zvonimir, Krešimir, Željko, Zoran,
    Damir, Davor, Goran, Hrvoje, Igor, Tomislav, Dario, Mario, Ante, Ivan, Marko, Luka, Nikola, Petar, Matej,
    Filip, Domagoj, Mate, Jakov, Lovro`),
  female: list(`Ankica, Ljubica, Zdenka, Dubravka, Gordana, Mirjana, Snježana, Vesna, Jasna, Željka, Sanja,
    Danijela, Marina, Andrea, Kristina, Ivana, Martina, Maja, Ana, Marija, Katarina, Petra, Nikolina, Josipa,
    Mateja, Ivona, Lucija, Lana, Tena, Ema, Mia, Klara`),
  towns: list(`Zagreb, Split, Rijeka, Osijek, Zadar, Slavonski Brod, Pula, Karlovac, Sisak, Varaždin, Šibenik,
    Vukovar, Dubrovnik, Bjelovar`),
  style: 'western', feminine: null, doubleFirstName: 0.03, fold: 'plain',
  passportName: null, passportNameRate: 0, religion: REL_CATHOLIC, partialBirthDateRate: 0.001, januaryFirstRate: 0,
  legacyRate: 0.35,
};

const BA: NameGroup = {
  code: 'BA', weight: 3.2,
  surnames: list(`Hodžić, Hadžić, Begić, Delić, Kovačević, Mehmedović, Hasanović, Husić, Ibrahimović, Alić,
    Omerović, Halilović, Salihović, Muratović, Šehić, Karić, Mujić, Avdić, Imamović, Bešić, Smajić, Softić,
    Hasić, Džafić, Jusić, Suljić, Osmanović, Mustafić, Ahmetović, Jovanović, Marić, Čolić`),
  male: list(`Asim, Safet, Ismet, Suad, Sead, Mustafa, Omer, Senad, Samir, Nermin, Elvir, Edin, Almir, Jasmin,
    Amir, Adnan, Armin, Emir, Haris, Kenan, Mirza, Tarik, Eldin, Enes, Faruk, Muhamed, Nedim, Dženan, Zlatan,
    Hamza, Harun, Adin`),
  female: list(`Zehra, Senada, Nermina, Sabina, Amela, Mirela, Alma, Azra, Aida, Edina, Emina, Maida, Merima,
    Selma, Elma, Amra, Belma, Dženana, Lejla, Amina, Ajla, Esma, Medina, Nejra, Šejla, Adna, Naida, Lamija,
    Hana, Sara, Merjem, Asja`),
  towns: list(`Sarajevo, Banja Luka, Tuzla, Zenica, Mostar, Bihać, Brčko, Bijeljina, Prijedor, Travnik, Doboj,
    Cazin, Velika Kladuša, Goražde`),
  style: 'western', feminine: null, doubleFirstName: 0.02, fold: 'plain',
  passportName: null, passportNameRate: 0,
  religion: [['811', 40], ['121', 10], ['711', 10], ['000', 16], [null, 24]], partialBirthDateRate: 0.001, januaryFirstRate: 0,
  legacyRate: 0.35,
};

const ES: NameGroup = {
  code: 'ES', weight: 2.6,
  surnames: list(`García, Fernández, González, Rodríguez, López, Martínez, Sánchez, Pérez, Gómez, Martín,
    Jiménez, Ruiz, Hernández, Díaz, Moreno, Muñoz, Álvarez, Romero, Alonso, Gutiérrez, Navarro, Torres,
    Domínguez, Vázquez, Ramos, Gil, Ramírez, Serrano, Blanco, Molina, Morales, Suárez, Ortega, Delgado, Castro,
    Ortiz, Rubio, Marín, Sanz, Núñez, Iglesias, Medina, Garrido, Cortés, Castillo`),
  male: list(`Antonio, José, Manuel, Francisco, Juan, Jesús, Ramón, Vicente, Enrique, Fernando, Luis, Carlos,
    Miguel, Rafael, Javier, Jorge, Alberto, Andrés, Sergio, Óscar, Raúl, Rubén, Iván, David, Daniel, Pablo,
    Alejandro, Álvaro, Adrián, Diego, Hugo, Mateo, Martín, Lucas`),
  female: list(`María, Carmen, Pilar, Mercedes, Rosa, Teresa, Isabel, Montserrat, Inmaculada, Ana, Cristina,
    Marta, Elena, Raquel, Beatriz, Silvia, Patricia, Nuria, Sonia, Eva, Laura, Sara, Paula, Lucía, Irene,
    Andrea, Marina, Alba, Rocío, Julia, Martina, Valeria`),
  towns: list(`Madrid, Barcelona, Valencia, Sevilla, Zaragoza, Málaga, Murcia, A Coruña, Vigo, Ourense,
    Santiago de Compostela, Bilbao, Granada, Oviedo, Valladolid, Salamanca`),
  style: 'spanish', feminine: null, doubleFirstName: 0.35, fold: 'plain',
  passportName: null, passportNameRate: 0, religion: REL_CATHOLIC, partialBirthDateRate: 0.0005, januaryFirstRate: 0,
};

const LK: NameGroup = {
  code: 'LK', weight: 2.2,
  surnames: list(`Sivakumar, Tharmalingam, Kanagaratnam, Selvarajah, Sivanesan, Ratnasingam, Balasubramaniam,
    Nadarajah, Arumugam, Thangarajah, Kandiah, Sinnathamby, Ponnambalam, Shanmugam, Rajendran, Yogarajah,
    Jeyakumar, Vijayakumar, Sritharan, Mahendran, Logeswaran, Thevarajah, Sundaram, Murugesu, Paramanathan,
    Kirupakaran, Jegatheesan, Uthayakumar, Suthakaran, Thiruchelvam`),
  male: list(`Kandiah, Murugesu, Rajan, Kumar, Ravi, Sivakumar, Jeyakumar, Suresh, Ramesh, Ganesh, Dinesh,
    Prakash, Nirmalan, Kannan, Murali, Senthil, Sutharsan, Arun, Sathees, Janarthanan, Thanushan, Kajan,
    Niroshan, Mathusan, Pirashanth, Sajeevan, Thusyanthan, Kirushanth, Vithushan, Tharshan, Sinthujan, Logan`),
  female: list(`Kala, Shanthi, Malathi, Kalaivani, Vasanthi, Sumathi, Jeyanthi, Thulasi, Sharmila, Kavitha,
    Priya, Sangeetha, Nirosha, Vithya, Thivya, Tharshika, Kajani, Sinthuja, Mathumitha, Piratheepa, Abirami,
    Lavanya, Nivetha, Keerthana, Janani, Sujitha, Yalini, Anushya, Dharshini, Mayuri`),
  towns: list(`Jaffna, Colombo, Trincomalee, Batticaloa, Vavuniya, Kilinochchi, Mannar, Point Pedro,
    Chavakachcheri, Mullaitivu, Kandy, Nallur`),
  style: 'patronymic', feminine: null, doubleFirstName: 0, fold: null,
  passportName: ruleVariant([[/^Th/, 'T'], [/^Si/, 'Shi'], [/ratnam$/, 'retnam'], [/^J/, 'Y'], [/aa/, 'a']]),
  passportNameRate: 0.15,
  religion: [['811', 55], ['121', 16], ['711', 4], ['000', 10], [null, 15]], partialBirthDateRate: 0.003, januaryFirstRate: 0.01,
};

/** Ukrainian surnames in passport Latin (KMU 2010) with their Cyrillic original. */
const UA_SURNAMES: ReadonlyArray<readonly [string, string]> = [
  ['Shevchenko', 'Шевченко'], ['Melnyk', 'Мельник'], ['Bondarenko', 'Бондаренко'], ['Kovalenko', 'Коваленко'],
  ['Boiko', 'Бойко'], ['Tkachenko', 'Ткаченко'], ['Kravchenko', 'Кравченко'], ['Kovalchuk', 'Ковальчук'],
  ['Koval', 'Коваль'], ['Oliinyk', 'Олійник'], ['Shevchuk', 'Шевчук'], ['Polishchuk', 'Поліщук'],
  ['Bondar', 'Бондар'], ['Tkachuk', 'Ткачук'], ['Moroz', 'Мороз'], ['Marchenko', 'Марченко'],
  ['Lysenko', 'Лисенко'], ['Rudenko', 'Руденко'], ['Savchenko', 'Савченко'], ['Petrenko', 'Петренко'],
  ['Klymenko', 'Клименко'], ['Pavlenko', 'Павленко'], ['Kravets', 'Кравець'], ['Ponomarenko', 'Пономаренко'],
  ['Vasylenko', 'Василенко'], ['Levchenko', 'Левченко'], ['Kharchenko', 'Харченко'], ['Karpenko', 'Карпенко'],
  ['Savchuk', 'Савчук'], ['Ivanenko', 'Іваненко'], ['Kovalskyi', 'Ковальський'], ['Hrytsenko', 'Гриценко'],
  ['Zinchenko', 'Зінченко'], ['Moskalenko', 'Москаленко'],
];
const UA_CYRILLIC = new Map<string, string>(
  UA_SURNAMES.flatMap(([lat, cyr]) => [
    [lat, cyr],
    [lat.replace(/skyi$/, 'ska'), cyr.replace(/ський$/, 'ська')],
  ]),
);

const UA: NameGroup = {
  code: 'UA', weight: 3,
  surnames: UA_SURNAMES.map(([lat]) => lat),
  male: list(`Mykola, Vasyl, Petro, Anatolii, Valerii, Viktor, Volodymyr, Yurii, Ihor, Oleh, Serhii, Oleksandr,
    Andrii, Dmytro, Oleksii, Vitalii, Vadym, Roman, Ivan, Taras, Bohdan, Yevhen, Pavlo, Mykhailo, Stanislav,
    Denys, Maksym, Artem, Nazar, Danylo`),
  female: list(`Halyna, Liudmyla, Valentyna, Nadiia, Larysa, Liubov, Vira, Tetiana, Nataliia, Svitlana, Olena,
    Iryna, Oksana, Olha, Inna, Lesia, Hanna, Yuliia, Kateryna, Mariia, Anna, Viktoriia, Alina, Yana, Anastasiia,
    Daria, Khrystyna, Zoriana, Sofiia, Polina`),
  towns: list(`Kyiv, Kharkiv, Odesa, Dnipro, Lviv, Zaporizhzhia, Mykolaiv, Kherson, Poltava, Chernihiv, Sumy,
    Vinnytsia, Mariupol, Ivano-Frankivsk, Ternopil`),
  style: 'western', feminine: (s) => s.replace(/skyi$/, 'ska'), doubleFirstName: 0, fold: null,
  // Ukrainian passports print the name in Cyrillic beside the Latin transliteration.
  passportName: (s) => UA_CYRILLIC.get(s) ?? null, passportNameRate: 0.35,
  religion: [['811', 55], ['121', 5], ['711', 15], ['000', 10], [null, 15]], partialBirthDateRate: 0.0005, januaryFirstRate: 0,
};

const PL: NameGroup = {
  code: 'PL', weight: 2,
  surnames: list(`Nowak, Kowalski, Wiśniewski, Wójcik, Kowalczyk, Kamiński, Lewandowski, Zieliński, Szymański,
    Woźniak, Dąbrowski, Kozłowski, Jankowski, Mazur, Wojciechowski, Kwiatkowski, Krawczyk, Kaczmarek,
    Piotrowski, Grabowski, Zając, Pawłowski, Michalski, Król, Wieczorek, Jabłoński, Wróbel, Nowakowski,
    Majewski, Olszewski, Stępień, Malinowski, Jaworski, Adamczyk, Dudek`),
  male: list(`Zbigniew, Andrzej, Krzysztof, Jan, Stanisław, Marek, Piotr, Tomasz, Grzegorz, Dariusz, Mariusz,
    Robert, Rafał, Paweł, Marcin, Michał, Łukasz, Adam, Maciej, Wojciech, Sebastian, Przemysław, Kamil,
    Bartosz, Damian, Dawid, Karol, Mateusz, Jakub, Szymon, Antoni, Filip`),
  female: list(`Krystyna, Danuta, Halina, Jadwiga, Barbara, Teresa, Elżbieta, Małgorzata, Ewa, Agnieszka, Iwona,
    Renata, Beata, Dorota, Joanna, Katarzyna, Monika, Magdalena, Anna, Agata, Sylwia, Justyna, Paulina, Marta,
    Karolina, Natalia, Aleksandra, Julia, Zofia, Maria, Zuzanna, Hanna`),
  towns: list(`Warszawa, Kraków, Łódź, Wrocław, Poznań, Gdańsk, Szczecin, Bydgoszcz, Lublin, Katowice,
    Białystok, Rzeszów, Opole, Kielce, Olsztyn`),
  style: 'western', feminine: slavicFeminine, doubleFirstName: 0.15, fold: 'plain',
  passportName: null, passportNameRate: 0, religion: REL_CATHOLIC, partialBirthDateRate: 0.0005, januaryFirstRate: 0,
  legacyRate: 0.3,
};

const FR: NameGroup = {
  code: 'FR', weight: 1.7,
  surnames: list(`Martin, Bernard, Muller, Thomas, Petit, Robert, Richard, Durand, Dubois, Moreau, Laurent, Simon,
    Michel, Lefebvre, Leroy, Roux, David, Bertrand, Morel, Fournier, Girard, Bonnet, Dupont, Lambert, Fontaine,
    Rousseau, Vincent, Lefèvre, Faure, André, Mercier, Blanc, Guérin, Boyer, Garnier, Chevalier, François,
    Meyer, Schmitt, Weber`),
  male: list(`Jean, Michel, Pierre, Alain, Philippe, Jacques, Bernard, Patrick, Christophe, Nicolas, Stéphane,
    Laurent, Frédéric, Sébastien, Julien, Olivier, Thierry, Vincent, David, Guillaume, Maxime, Romain, Thomas,
    Alexandre, Antoine, Hugo, Lucas, Théo, Louis, Gabriel, Raphaël, Arthur`),
  female: list(`Monique, Françoise, Catherine, Nathalie, Isabelle, Sylvie, Martine, Christine, Valérie, Sandrine,
    Céline, Stéphanie, Émilie, Aurélie, Julie, Camille, Marie, Sophie, Pauline, Claire, Manon, Léa, Chloé,
    Inès, Jade, Louise, Alice, Lina, Rose, Ambre`),
  towns: list(`Paris, Lyon, Marseille, Strasbourg, Mulhouse, Colmar, Besançon, Lille, Toulouse, Bordeaux, Nantes,
    Nice, Grenoble, Annecy, Metz`),
  style: 'western', feminine: null, doubleFirstName: 0.25, fold: 'plain',
  passportName: null, passportNameRate: 0, religion: REL_CATHOLIC, partialBirthDateRate: 0.0005, januaryFirstRate: 0,
};

const AT: NameGroup = {
  code: 'AT', weight: 2.1,
  surnames: list(`Gruber, Huber, Bauer, Wagner, Müller, Pichler, Steiner, Moser, Mayer, Hofer, Leitner, Berger,
    Fuchs, Eder, Fischer, Schmid, Winkler, Weber, Schwarz, Maier, Schneider, Reiter, Mayr, Schmidt, Wimmer,
    Egger, Brunner, Lang, Baumgartner, Auer, Binder, Lechner, Wolf, Wallner, Aigner, Ebner, Koller, Lehner,
    Haas, Schuster, Meier`),
  male: list(`Johann, Franz, Josef, Karl, Herbert, Helmut, Gerhard, Walter, Peter, Wolfgang, Günther, Christian,
    Thomas, Andreas, Martin, Markus, Michael, Stefan, Bernhard, Manuel, Florian, Dominik, Lukas, David, Simon,
    Tobias, Fabian, Jakob, Elias, Maximilian, Felix, Paul`),
  female: list(`Maria, Anna, Theresia, Elfriede, Hermine, Gertraud, Christine, Elisabeth, Andrea, Sabine,
    Claudia, Martina, Petra, Barbara, Karin, Manuela, Bettina, Daniela, Katharina, Julia, Lisa, Sarah, Anna-Lena,
    Viktoria, Magdalena, Valentina, Laura, Lena, Leonie, Emma, Marie, Hannah`),
  towns: list(`Wien, Graz, Linz, Salzburg, Innsbruck, Klagenfurt, Villach, Wels, St. Pölten, Dornbirn, Feldkirch,
    Bregenz, Steyr, Leoben`),
  style: 'western', feminine: null, doubleFirstName: 0.3, fold: 'germanic',
  passportName: null, passportNameRate: 0, religion: REL_CATHOLIC, partialBirthDateRate: 0.0005, januaryFirstRate: 0,
};

const HU: NameGroup = {
  code: 'HU', weight: 1.6,
  surnames: list(`Nagy, Kovács, Tóth, Szabó, Horváth, Varga, Kiss, Molnár, Németh, Farkas, Balogh, Papp,
    Takács, Juhász, Lakatos, Mészáros, Oláh, Simon, Rácz, Fekete, Szilágyi, Török, Fehér, Balázs, Gál, Kis,
    Szűcs, Kocsis, Pintér, Fodor, Szalai, Sipos, Magyar, Lukács`),
  male: list(`József, János, István, László, Sándor, Ferenc, Imre, Lajos, György, Zoltán, Attila, Tibor, Gábor,
    Zsolt, Csaba, Péter, Tamás, András, Róbert, Krisztián, Norbert, Balázs, Viktor, Gergely, Dániel, Ádám,
    Dávid, Bence, Máté, Levente`),
  female: list(`Mária, Erzsébet, Ilona, Katalin, Margit, Éva, Anna, Zsuzsanna, Judit, Ágnes, Erika, Edit,
    Andrea, Krisztina, Szilvia, Mónika, Gabriella, Anita, Tímea, Eszter, Nikolett, Viktória, Zsófia, Dóra,
    Réka, Petra, Orsolya, Boglárka, Hanna, Lilla`),
  towns: list(`Budapest, Debrecen, Szeged, Miskolc, Pécs, Győr, Nyíregyháza, Kecskemét, Székesfehérvár,
    Szombathely, Sopron, Eger`),
  style: 'western', feminine: null, doubleFirstName: 0.08, fold: 'plain',
  passportName: null, passportNameRate: 0,
  religion: [['121', 50], ['111', 15], ['711', 18], ['000', 7], [null, 10]], partialBirthDateRate: 0.0005, januaryFirstRate: 0,
};

const SO: NameGroup = {
  code: 'SO', weight: 1.1,
  surnames: list(`Mohamed, Abdi, Ahmed, Ali, Hassan, Hussein, Omar, Abdullahi, Farah, Warsame, Jama, Osman, Nur,
    Aden, Yusuf, Ismail, Said, Hirsi, Egal, Dirie, Mohamud, Elmi, Duale, Barre, Samatar, Gedi, Abdille, Mire,
    Shire, Guled`),
  male: list(`Mohamed, Abdi, Ahmed, Ali, Hassan, Hussein, Omar, Abdullahi, Abdirahman, Abdirahim, Abdikarim,
    Yusuf, Ibrahim, Ismail, Mahad, Mukhtar, Farah, Said, Osman, Jama, Warsame, Nur, Aden, Bashir, Hamza,
    Sharmarke, Liban, Khalid, Abdiaziz, Guled`),
  female: list(`Fadumo, Hawa, Halima, Khadija, Amina, Asha, Sahra, Hodan, Ifrah, Ubah, Nimco, Sagal, Hibo,
    Maryan, Deeqa, Idil, Ayaan, Farhiya, Ladan, Sucaad, Ruqiya, Hamdi, Nasra, Ilhan, Ikran, Warsan, Zamzam,
    Shukri, Fartun, Hanan`),
  towns: list(`Mogadischu, Hargeisa, Kismayo, Baidoa, Beledweyne, Galkayo, Bosaso, Garowe, Burao, Merca, Jowhar,
    Berbera`),
  style: 'patronymic', feminine: null, doubleFirstName: 0, fold: null,
  // Somali orthography (Maxamed, Xasan, Cabdi) differs from the English-style passport spelling.
  passportName: ruleVariant([[/^Mohamed$/, 'Maxamed'], [/^Hassan$/, 'Xasan'], [/^Abdi/, 'Cabdi'], [/^Ali$/, 'Cali'], [/^Ahmed$/, 'Axmed'], [/^Hussein$/, 'Xuseen']]),
  passportNameRate: 0.15,
  religion: REL_MUSLIM, partialBirthDateRate: 0.1, januaryFirstRate: 0.12,
};

const VN: NameGroup = {
  code: 'VN', weight: 1.1,
  surnames: list(`Nguyễn, Trần, Lê, Phạm, Hoàng, Huỳnh, Phan, Vũ, Võ, Đặng, Bùi, Đỗ, Hồ, Ngô, Dương, Lý, Đinh,
    Lâm, Trương, Mai, Đoàn, Cao, Tô, Châu, Hà, Vương, Thái, Lưu, Quách, Tạ`),
  male: list(`Văn Hùng, Văn Dũng, Văn Thắng, Văn Hải, Văn Long, Văn Nam, Văn Sơn, Văn Trung, Văn Cường, Văn Tài,
    Đức Minh, Quang Huy, Minh Tuấn, Hoàng Long, Việt Anh, Quốc Bảo, Minh Khang, Đức Anh, Gia Huy, Minh Khoa,
    Thành Đạt, Anh Tùng, Bảo Nam, Hải Phong, Tuấn Kiệt, Minh Quân, Đăng Khoa, Gia Bảo, Phúc An, Minh Nhật`),
  female: list(`Thị Lan, Thị Hương, Thị Mai, Thị Hằng, Thị Hạnh, Thị Loan, Thị Nga, Thị Nhung, Thị Thu, Thị Tuyết,
    Thị Oanh, Thị Hoa, Ngọc Anh, Thu Trang, Phương Thảo, Thùy Linh, Ngọc Huyền, Khánh Linh, Bảo Ngọc, Minh Thư,
    Hà My, Quỳnh Anh, Thảo Vy, Ngọc Diệp, Khánh Vy, Gia Hân, Bảo Trâm, Tú Uyên, An Nhiên, Minh Châu`),
  towns: list(`Hà Nội, Thành phố Hồ Chí Minh, Hải Phòng, Đà Nẵng, Huế, Cần Thơ, Nha Trang, Vũng Tàu, Nam Định, Vinh`),
  style: 'keep', feminine: null, doubleFirstName: 0, fold: 'plain',
  // Vietnamese passports print names without diacritics: NGUYEN, not NGUYỄN.
  passportName: (s) => foldToAscii(s, 'plain'), passportNameRate: 0.7,
  religion: [['811', 30], ['121', 15], ['711', 30], ['000', 10], [null, 15]], partialBirthDateRate: 0.002, januaryFirstRate: 0,
  legacyRate: 0.3,
  surnameShares: [38, 11, 9.5, 7, 5, 5, 4.5, 3.9, 3.5, 2.1, 2, 1.7, 1.3, 1.3, 1],
};

/** Foreign groups in the order used for weighted choice. */
export const FOREIGN_GROUPS: readonly NameGroup[] = [
  DE, PT, IT, XK, RS, MK_MACEDONIAN, MK_ALBANIAN, ER, AF, SY, TR, HR, BA, ES, LK, UA, PL, FR, AT, HU, SO, IQ, VN,
];

export const SWISS_GROUP: NameGroup = CH;

/**
 * Name origins of naturalised Swiss citizens (relative weights): the older migration
 * waves (Italy, former Yugoslavia, Turkey) dominate naturalisations.
 */
export const NATURALISED_ORIGINS: ReadonlyArray<readonly [NameGroup, number]> = [
  [IT, 22], [XK, 18], [TR, 10], [RS, 8], [MK_MACEDONIAN, 3], [MK_ALBANIAN, 4], [BA, 7], [HR, 8], [PT, 5], [DE, 10], [ES, 4], [LK, 5],
  [VN, 2], [ER, 2], [AF, 1],
];

/** Given names of children of every origin born here (international names parents choose in Switzerland). */
export const INTERNATIONAL_MALE = list(`Noah, Leon, Luca, Elias, Liam, Adam, David, Levi, Samuel, Aaron, Ben,
  Gabriel, Nico, Matteo, Leo, Emil, Louis, Daniel, Jonas, Ilias`);
export const INTERNATIONAL_FEMALE = list(`Mia, Emma, Sofia, Lina, Elena, Mila, Lea, Lara, Alina, Nora, Sara,
  Hana, Amelia, Emilia, Ella, Anna, Luana, Aurora, Lia, Malea`);

/** Countries Lucerne residents leave for, besides their own. */
export const EMIGRATION_COUNTRIES: readonly string[] = ['DE', 'FR', 'AT', 'IT', 'ES', 'PT', 'GB', 'US', 'CA', 'AU', 'NL', 'TH'];

/** Countries asylum seekers often reach Switzerland through. */
export const TRANSIT_COUNTRIES: readonly string[] = ['IT', 'GR', 'AT', 'DE', 'TR'];

// ---------------------------------------------------------------- legacy ASCII spelling

const GERMANIC_FOLD: Readonly<Record<string, string>> = {
  ä: 'ae', ö: 'oe', ü: 'ue', Ä: 'Ae', Ö: 'Oe', Ü: 'Ue', ß: 'ss',
};
/** Letters that do not decompose into base letter + combining mark. */
const SPECIAL_FOLD: Readonly<Record<string, string>> = {
  đ: 'dj', Đ: 'Dj', ł: 'l', Ł: 'L', ı: 'i', ø: 'o', Ø: 'O', æ: 'ae', Æ: 'Ae', œ: 'oe', Œ: 'Oe', ß: 'ss',
};

/**
 * How register software without Unicode support recorded a name: German-speaking
 * registers wrote Müller as Mueller and Özdemir as Oezdemir; others dropped the marks
 * (Kovačević → Kovacevic, Gonçalves → Goncalves, Nguyễn → Nguyen).
 */
export function foldToAscii(name: string, style: FoldStyle): string {
  let out = '';
  for (const ch of name.normalize('NFC')) {
    const g = style === 'germanic' ? GERMANIC_FOLD[ch] : undefined;
    if (g !== undefined) {
      out += g;
      continue;
    }
    const special = SPECIAL_FOLD[ch];
    if (special !== undefined) {
      out += special;
      continue;
    }
    out += ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  }
  return out;
}
