/**
 * `domain`: a small corpus in the register of contracts, for domain-adaptive pretraining
 * (continuing next-token training on text of one field so the model picks up its words and
 * phrasing: "The Tenant shall ...", "within 30 days of ...").
 *
 * It is SYNTHETIC: agreements assembled from clause templates written for this project,
 * between made-up people in made-up places under the law of a made-up state. It is not a
 * real contract and not legal advice; it only sounds like one, which is what a language
 * model can learn from it.
 *
 * Each agreement is one of four kinds (tenancy, services, sale of goods, confidentiality),
 * a heading line with its number, then its clauses, one numbered line each; agreements are
 * separated by a blank line.
 */
import { SeededRandom } from '../util/random';
import { pickOne } from './shuffle';

/** The roles of the two parties and what the agreement is about, per kind. */
interface AgreementKind {
  readonly title: string;
  /** The party that provides (Landlord, Provider, Seller, Discloser). */
  readonly first: string;
  /** The party that receives and usually pays (Tenant, Client, Buyer, Recipient). */
  readonly second: string;
  /** Whether money changes hands (only then may the late-payment clause be added). */
  readonly paysMoney: boolean;
  /** The clauses of this kind, after the parties are named; one variant is picked of each. */
  readonly clauses: (context: AgreementContext) => readonly (readonly string[])[];
}

/** What one agreement's clauses are filled in with. */
interface AgreementContext {
  readonly first: string;
  readonly second: string;
  readonly rng: SeededRandom;
  readonly address: string;
  readonly days: () => number;
  readonly amount: () => string;
  readonly date: () => string;
}

const FIRST_NAMES = ['Ada', 'Samuel', 'Irene', 'Marcus', 'Greta', 'Hugo', 'Nora', 'Felix', 'Clara', 'Otto', 'Vera', 'Emil', 'Iris', 'Leon', 'Mila', 'Anton'];
const SURNAMES = ['Brook', 'Hale', 'Marsh', 'Fenwick', 'Ashdown', 'Carver', 'Lindqvist', 'Okafor', 'Tanaka', 'Moreau', 'Petrov', 'Quinn', 'Rowe', 'Silva', 'Varga', 'Whitlock'];
const COMPANY_SUFFIXES = ['Ltd', 'Holdings', 'and Partners', 'Trading Company'];
const STREETS = ['Elm Street', 'Mill Lane', 'Harbour Road', 'Church Row', 'Station Avenue', 'Orchard Close', 'Kings Parade', 'Willow Walk'];
const TOWNS = ['Northbury', 'Eastvale', 'Greywater', 'Ashford Green', 'Millhaven', 'Stonebridge'];
const JURISDICTIONS = ['the State of Eastvale', 'the Commonwealth of Norland', 'the Republic of Westmarch'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const SERVICES = ['cleaning', 'bookkeeping', 'garden maintenance', 'software support', 'translation', 'catering', 'security'];
const GOODS = ['office chairs', 'bicycles', 'laptop computers', 'boxes of printing paper', 'kitchen units', 'solar panels', 'hand tools'];
const PURPOSES = ['a possible joint venture', 'a proposed purchase of shares', 'a research project', 'the supply of new equipment'];

const KINDS: readonly AgreementKind[] = [
  {
    title: 'TENANCY AGREEMENT',
    first: 'Landlord',
    paysMoney: true,
    second: 'Tenant',
    clauses: ({ address, amount, days, rng }) => [
      [`The Landlord lets the flat at ${address} to the Tenant for a term of ${6 + rng.int(19)} months.`,
        `The Landlord agrees to let, and the Tenant agrees to take, the flat at ${address} for a term of ${6 + rng.int(19)} months.`],
      [`The Tenant shall pay a rent of ${amount()} each month, in advance, on the first day of the month.`,
        `The rent is ${amount()} a month, payable by the Tenant in advance on the first day of each month.`],
      [`On signing, the Tenant shall pay a deposit of ${amount()}, which the Landlord shall return within ${days()} days after the tenancy ends, less any sum needed to repair damage.`],
      ['The Tenant shall keep the flat clean and in good condition, fair wear and tear excepted.',
        'The Tenant shall take reasonable care of the flat and its contents and shall report any damage to the Landlord without delay.'],
      ['The Tenant shall not keep pets at the flat without the written consent of the Landlord.',
        'The Tenant shall not sublet the flat or any part of it.',
        'The Tenant shall not make any alteration to the flat without the written consent of the Landlord.'],
      ['The Landlord shall keep the roof, walls, drains and heating in good repair.',
        'The Landlord shall carry out repairs to the structure and exterior of the flat within a reasonable time of being told of the need for them.'],
      [`The Landlord may enter the flat to inspect it or carry out repairs after giving the Tenant at least ${1 + rng.int(3)} days' notice.`],
    ],
  },
  {
    title: 'SERVICES AGREEMENT',
    first: 'Provider',
    paysMoney: true,
    second: 'Client',
    clauses: ({ amount, days, date, rng }) => {
      const service = pickOne(SERVICES, rng);
      return [
        [`The Provider shall provide ${service} services to the Client (the "Services") from ${date()}.`,
          `The Client appoints the Provider to provide ${service} services (the "Services"), starting on ${date()}.`],
        [`The Client shall pay the Provider a fee of ${amount()} for each month in which the Services are provided.`,
          `In return for the Services the Client shall pay a monthly fee of ${amount()}, within ${days()} days of receiving the Provider's invoice.`],
        ['The Provider shall perform the Services with reasonable skill and care and in line with good industry practice.',
          'The Provider shall perform the Services in a careful and professional manner, using suitably trained staff.'],
        ['The Client shall give the Provider the information and access it reasonably needs to perform the Services.',
          'The Client shall co-operate with the Provider in all matters relating to the Services.'],
        [`Either party may end this Agreement by giving ${days()} days' written notice to the other party.`,
          `This Agreement continues until either party ends it by giving the other party at least ${days()} days' notice in writing.`],
      ];
    },
  },
  {
    title: 'AGREEMENT FOR THE SALE OF GOODS',
    first: 'Seller',
    paysMoney: true,
    second: 'Buyer',
    clauses: ({ address, amount, days, date, rng }) => {
      const goods = `${10 + rng.int(490)} ${pickOne(GOODS, rng)}`;
      return [
        [`The Seller shall sell and the Buyer shall buy ${goods} (the "Goods").`,
          `The Seller agrees to sell to the Buyer, and the Buyer agrees to buy, ${goods} (the "Goods").`],
        [`The price of the Goods is ${amount()}, which the Buyer shall pay within ${days()} days of delivery.`,
          `The Buyer shall pay ${amount()} for the Goods, half on signing and half within ${days()} days of delivery.`],
        [`The Seller shall deliver the Goods to ${address} on or before ${date()}.`,
          `Delivery of the Goods shall take place at ${address} no later than ${date()}.`],
        ['Risk in the Goods passes to the Buyer on delivery.',
          'The Goods are at the risk of the Buyer from the time of delivery.'],
        ['Ownership of the Goods passes to the Buyer only when the price has been paid in full.',
          'The Seller keeps ownership of the Goods until it has received payment of the price in full.'],
        [`The Buyer shall inspect the Goods on delivery and shall tell the Seller in writing of any defect within ${days()} days.`,
          `If any of the Goods are defective, the Buyer shall notify the Seller within ${days()} days of delivery, and the Seller shall replace them at its own cost.`],
      ];
    },
  },
  {
    title: 'CONFIDENTIALITY AGREEMENT',
    first: 'Discloser',
    paysMoney: false,
    second: 'Recipient',
    clauses: ({ rng }) => {
      const years = 2 + rng.int(4);
      return [
        [`The Discloser will share certain information with the Recipient for the purpose of ${pickOne(PURPOSES, rng)} (the "Purpose").`],
        ['"Confidential Information" means all information disclosed by the Discloser to the Recipient in connection with the Purpose, in any form.',
          'In this Agreement, "Confidential Information" means any information of the Discloser that the Recipient receives for the Purpose, whether written or spoken.'],
        ['The Recipient shall keep the Confidential Information secret and shall use it only for the Purpose.',
          'The Recipient shall not use the Confidential Information for any purpose other than the Purpose and shall not disclose it to any third party.'],
        ['The Recipient may disclose Confidential Information to its employees who need to know it for the Purpose, provided that they are bound by duties of confidence no less strict than these.'],
        ['These duties do not apply to information that is or becomes public other than through a breach of this Agreement.'],
        [`The duties of the Recipient under this Agreement last for ${years} years from the date of this Agreement.`,
          `This Agreement remains in force for ${years} years from the date on which it is signed.`],
        ['On request, the Recipient shall return or destroy all documents containing Confidential Information.'],
      ];
    },
  },
];

/**
 * Clauses any agreement may end with; some of them are picked for each. The first is about
 * late payment, for agreements where money changes hands.
 */
const GENERAL_CLAUSES = (context: AgreementContext): readonly (readonly string[])[] => [
  [`If any sum due under this Agreement is not paid within ${context.days()} days of its due date, interest is payable on it at ${2 + context.rng.int(7)} percent a year.`],
  [`The ${context.first} may end this Agreement at once if the ${context.second} commits a serious breach of it and does not remedy the breach within ${context.days()} days of being asked to do so.`],
  ['Neither party is liable for any delay or failure caused by events beyond its reasonable control.'],
  ['Any notice under this Agreement shall be in writing and delivered by hand or sent by post to the address of the other party.'],
  ['This Agreement contains the whole agreement between the parties about its subject matter.'],
  ['No change to this Agreement is valid unless it is in writing and signed by both parties.'],
];

/** The default number of agreements in the training and test parts. */
export const DOMAIN_TRAIN_AGREEMENTS = 150;
export const DOMAIN_TEST_AGREEMENTS = 25;

/**
 * The corpus text: `train` agreements numbered 1…train, then `test` agreements numbered on
 * from there, each part as one text with agreements separated by a blank line.
 */
export function generateDomainCorpus(
  seed: number,
  counts: { readonly train: number; readonly test: number } = { train: DOMAIN_TRAIN_AGREEMENTS, test: DOMAIN_TEST_AGREEMENTS },
): { readonly train: string; readonly test: string } {
  const rng = new SeededRandom(seed);
  const agreements: string[] = [];
  for (let number = 1; number <= counts.train + counts.test; number++) agreements.push(generateAgreement(number, rng));
  const join = (parts: readonly string[]): string => `${parts.join('\n\n')}\n`;
  return { train: join(agreements.slice(0, counts.train)), test: join(agreements.slice(counts.train)) };
}

/** One agreement: a heading, then numbered clauses. */
function generateAgreement(number: number, rng: SeededRandom): string {
  const kind = pickOne(KINDS, rng);
  const context: AgreementContext = {
    first: kind.first,
    second: kind.second,
    rng,
    address: `${1 + rng.int(98)} ${pickOne(STREETS, rng)}, ${pickOne(TOWNS, rng)}`,
    days: () => pickOne([7, 10, 14, 21, 28, 30, 60, 90], rng),
    amount: () => `${withThousandsSeparator(50 * (4 + rng.int(80)))} dollars`,
    date: () => formatDate(rng),
  };
  const firstParty = kind.first === 'Landlord' || kind.first === 'Discloser' ? personName(rng) : companyName(rng);
  const secondParty = kind.second === 'Tenant' ? personName(rng) : companyName(rng);
  const clauses = [
    pickOne(
      [
        `This Agreement is made on ${formatDate(rng)} between ${firstParty} (the "${kind.first}") and ${secondParty} (the "${kind.second}").`,
        `This Agreement is dated ${formatDate(rng)} and is made between ${firstParty} (the "${kind.first}") and ${secondParty} (the "${kind.second}").`,
      ],
      rng,
    ),
    ...kind.clauses(context).map((variants) => pickOne(variants, rng)),
  ];
  // Two or three general clauses, kept in their usual order.
  const general = GENERAL_CLAUSES(context);
  const keep = new Set<number>();
  const howMany = 2 + rng.int(2);
  const firstAllowed = kind.paysMoney ? 0 : 1;
  while (keep.size < howMany) keep.add(firstAllowed + rng.int(general.length - firstAllowed));
  for (const index of [...keep].sort((a, b) => a - b)) clauses.push(pickOne(general[index]!, rng));
  clauses.push(`This Agreement is governed by the law of ${pickOne(JURISDICTIONS, rng)}.`);
  clauses.push(`Signed by the ${kind.first} and the ${kind.second} on the date first written above.`);

  const body = clauses.map((clause, i) => `${i + 1}. ${clause}`).join('\n');
  return `${kind.title} NO. ${number}\n${body}`;
}

/** 2,450 rather than 2450 (written out, so it does not depend on the machine's locale). */
function withThousandsSeparator(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+$)/g, ',');
}

function personName(rng: SeededRandom): string {
  return `${pickOne(FIRST_NAMES, rng)} ${pickOne(SURNAMES, rng)}`;
}

function companyName(rng: SeededRandom): string {
  return `${pickOne(SURNAMES, rng)} ${pickOne(COMPANY_SUFFIXES, rng)}`;
}

/** A day in 2024 or 2025, written as contracts write it: "3 March 2025". */
function formatDate(rng: SeededRandom): string {
  const year = 2024 + rng.int(2);
  const month = rng.int(12);
  const days = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return `${1 + rng.int(days)} ${MONTHS[month]} ${year}`;
}
