/* Questions for 297 Equality, Diversity and Human Rights - eAssessment, marked by shared/assessment.js. */
window.ASSESSMENT_QUESTIONS = [
  {
    id: 'edhr-equality-meaning',
    text: 'Which statement best describes equality in health and care?',
    options: [
      { id: 'a', text: 'Treating every person in exactly the same way, whatever their needs' },
      { id: 'b', text: 'Making sure everyone has a fair chance of good care, which may mean different support for different people' },
      { id: 'c', text: 'Giving priority to people who share the same background as most staff' },
      { id: 'd', text: 'Only applying to people who have a disability' }
    ],
    answer: 'b'
  },
  {
    id: 'edhr-protected-characteristic',
    text: 'Which of these is one of the nine protected characteristics in the Equality Act 2010?',
    options: [
      { id: 'a', text: 'Job title' },
      { id: 'b', text: 'Home postcode' },
      { id: 'c', text: 'Pregnancy and maternity' },
      { id: 'd', text: 'Favourite sports team' }
    ],
    answer: 'c'
  },
  {
    id: 'edhr-indirect-discrimination',
    text: 'What is indirect discrimination?',
    options: [
      { id: 'a', text: 'A rule that applies to everyone but unfairly disadvantages people who share a protected characteristic, without good reason' },
      { id: 'b', text: 'Deliberately refusing to treat someone because of their religion' },
      { id: 'c', text: 'Complaining on behalf of a colleague who has been treated unfairly' },
      { id: 'd', text: 'Making a reasonable adjustment for a disabled person' }
    ],
    answer: 'a'
  },
  {
    id: 'edhr-human-rights-act',
    text: 'Under the Human Rights Act 1998, who must act in a way that respects people\'s human rights?',
    options: [
      { id: 'a', text: 'Only the courts' },
      { id: 'b', text: 'Only the police' },
      { id: 'c', text: 'Only private companies' },
      { id: 'd', text: 'Public authorities, including NHS bodies and their staff' }
    ],
    answer: 'd'
  },
  {
    id: 'edhr-interpreter',
    text: 'A patient speaks little English and their 12-year-old child offers to interpret. What should you do?',
    options: [
      { id: 'a', text: 'Let the child interpret, because it is quicker' },
      { id: 'b', text: 'Arrange a professional interpreter' },
      { id: 'c', text: 'Speak more loudly and slowly in English' },
      { id: 'd', text: 'Postpone the patient\'s care until they can bring an adult relative' }
    ],
    answer: 'b'
  }
];
