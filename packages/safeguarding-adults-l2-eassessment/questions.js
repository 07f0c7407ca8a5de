/* Questions for 297 Safeguarding Adults - Level 2 - eAssessment, marked by shared/assessment.js. */
window.ASSESSMENT_QUESTIONS = [
  {
    id: 'sa2-presume-capacity',
    text: 'What is the first principle of the Mental Capacity Act 2005?',
    options: [
      { id: 'a', text: 'A person must be assumed to have capacity unless it is established that they lack it' },
      { id: 'b', text: 'Anyone over 75 should be assessed for capacity' },
      { id: 'c', text: 'Relatives always decide for someone who is unwell' },
      { id: 'd', text: 'Capacity is assessed once and applies to every decision' }
    ],
    answer: 'a'
  },
  {
    id: 'sa2-unwise-decision',
    text: 'A man with capacity chooses not to follow advice about his diet. What does this tell you about his capacity?',
    options: [
      { id: 'a', text: 'He must lack capacity, because the decision is unwise' },
      { id: 'b', text: 'His family should now make decisions for him' },
      { id: 'c', text: 'An unwise decision alone does not mean he lacks capacity' },
      { id: 'd', text: 'He needs to be referred to the police' }
    ],
    answer: 'c'
  },
  {
    id: 'sa2-share-without-consent',
    text: 'An adult with capacity asks you not to share her disclosure of domestic abuse, but says that her children live in the home. What should you do?',
    options: [
      { id: 'a', text: 'Keep it secret, because she has capacity' },
      { id: 'b', text: 'Wait until she changes her mind' },
      { id: 'c', text: 'Tell her partner, so he knows there is a concern' },
      { id: 'd', text: 'Share the concern under your local procedure, because the children may be at risk' }
    ],
    answer: 'd'
  },
  {
    id: 'sa2-recording',
    text: 'Which is the best way to record a safeguarding concern?',
    options: [
      { id: 'a', text: 'A short summary of your opinion of the family' },
      { id: 'b', text: 'The facts, the person\'s own words, the date and time, and what you did, signed' },
      { id: 'c', text: 'Nothing in writing, in case the person sees it' },
      { id: 'd', text: 'A note on a sticky label attached to the front of their file' }
    ],
    answer: 'b'
  },
  {
    id: 'sa2-coercive-control',
    text: 'A pattern of threats, humiliation and control over someone\'s money and daily life is an example of what?',
    options: [
      { id: 'a', text: 'Coercive control, a form of domestic abuse' },
      { id: 'b', text: 'Self-neglect' },
      { id: 'c', text: 'Organisational abuse' },
      { id: 'd', text: 'A normal family disagreement' }
    ],
    answer: 'a'
  }
];
