/* Questions for 297 Safeguarding Children - Level 1 - eAssessment, marked by shared/assessment.js. */
window.ASSESSMENT_QUESTIONS = [
  {
    id: 'sc1-age',
    text: 'In law, up to what age is a person a child?',
    options: [
      { id: 'a', text: 'Until their 16th birthday' },
      { id: 'b', text: 'Until they leave school' },
      { id: 'c', text: 'Until their 18th birthday' },
      { id: 'd', text: 'Until their 21st birthday' }
    ],
    answer: 'c'
  },
  {
    id: 'sc1-categories',
    text: 'What are the four main categories of child abuse?',
    options: [
      { id: 'a', text: 'Physical, emotional, sexual and neglect' },
      { id: 'b', text: 'Physical, verbal, financial and online' },
      { id: 'c', text: 'Emotional, criminal, medical and educational' },
      { id: 'd', text: 'Neglect, bullying, exploitation and truancy' }
    ],
    answer: 'a'
  },
  {
    id: 'sc1-secret',
    text: 'A child tells you they are being hurt at home and asks you to keep it a secret. What should you say?',
    options: [
      { id: 'a', text: 'That you promise not to tell anyone' },
      { id: 'b', text: 'That they should tell their parents first' },
      { id: 'c', text: 'That you need more details before you can believe them' },
      { id: 'd', text: 'That they were right to tell you, and that you will need to tell people whose job is to keep them safe' }
    ],
    answer: 'd'
  },
  {
    id: 'sc1-neglect-sign',
    text: 'Which of these may be a sign of neglect?',
    options: [
      { id: 'a', text: 'A child who is shy when meeting new people' },
      { id: 'b', text: 'A child who is often hungry, unwashed and not brought to health appointments' },
      { id: 'c', text: 'A child who has a grazed knee after a fall in the playground' },
      { id: 'd', text: 'A child who prefers reading to sport' }
    ],
    answer: 'b'
  },
  {
    id: 'sc1-immediate-danger',
    text: 'You believe a child is in immediate danger. What should you do first?',
    options: [
      { id: 'a', text: 'Call 999' },
      { id: 'b', text: 'Send an email to the safeguarding team' },
      { id: 'c', text: 'Wait to see whether things get worse' },
      { id: 'd', text: 'Speak to the child\'s parents about it' }
    ],
    answer: 'a'
  }
];
