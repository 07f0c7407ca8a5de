/* Questions for 000 Safeguarding Adults eAssessment - Level 1, marked by shared/assessment.js. */
window.ASSESSMENT_QUESTIONS = [
  {
    id: 'sa-adult-at-risk',
    text: 'Which description best matches an adult that local safeguarding duties apply to?',
    options: [
      { id: 'a', text: 'Anyone over 65 who lives alone' },
      { id: 'b', text: 'Any patient who has been admitted to hospital' },
      { id: 'c', text: 'A person aged 18 or over with care and support needs who is at risk of abuse or neglect and cannot protect themselves because of those needs' },
      { id: 'd', text: 'Only people who have already been harmed' }
    ],
    answer: 'c'
  },
  {
    id: 'sa-principles',
    text: 'Which of these is one of the six principles of safeguarding adults?',
    options: [
      { id: 'a', text: 'Proportionality' },
      { id: 'b', text: 'Punishment' },
      { id: 'c', text: 'Secrecy' },
      { id: 'd', text: 'Efficiency' }
    ],
    answer: 'a'
  },
  {
    id: 'sa-financial-abuse',
    text: 'A patient tells you that a relative takes their pension and leaves them without money for food. What type of abuse might this be?',
    options: [
      { id: 'a', text: 'Discriminatory abuse' },
      { id: 'b', text: 'Financial or material abuse' },
      { id: 'c', text: 'Organisational abuse' },
      { id: 'd', text: 'Self-neglect' }
    ],
    answer: 'b'
  },
  {
    id: 'sa-disclosure',
    text: 'An adult tells you they are being abused. What should you do?',
    options: [
      { id: 'a', text: 'Promise to keep it secret so that they keep trusting you' },
      { id: 'b', text: 'Question the person they say is responsible' },
      { id: 'c', text: 'Tell them to report it to the police themselves' },
      { id: 'd', text: 'Listen, record what they said, and report your concern following your local policy' }
    ],
    answer: 'd'
  },
  {
    id: 'sa-immediate-danger',
    text: 'What should you do first if an adult is in immediate danger?',
    options: [
      { id: 'a', text: 'Call 999' },
      { id: 'b', text: 'Send an email to the safeguarding team' },
      { id: 'c', text: 'Write it up at the end of your shift' },
      { id: 'd', text: 'Wait for your line manager to decide' }
    ],
    answer: 'a'
  }
];
