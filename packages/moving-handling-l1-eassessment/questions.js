/* Questions for 297 Moving and Handling - Level 1 - eAssessment, marked by shared/assessment.js. */
window.ASSESSMENT_QUESTIONS = [
  {
    id: 'mh-tile',
    text: 'When assessing a handling task, what does TILE stand for?',
    options: [
      { id: 'a', text: 'Time, Instructions, Lifting, Equipment' },
      { id: 'b', text: 'Task, Individual, Load, Environment' },
      { id: 'c', text: 'Training, Injury, Location, Effort' },
      { id: 'd', text: 'Team, Item, Level, Exit' }
    ],
    answer: 'b'
  },
  {
    id: 'mh-regulations-first',
    text: 'Under the Manual Handling Operations Regulations 1992, what must an employer do first?',
    options: [
      { id: 'a', text: 'Avoid hazardous manual handling so far as is reasonably practicable' },
      { id: 'b', text: 'Give every member of staff a back support belt' },
      { id: 'c', text: 'Set a maximum weight that everyone must be able to lift' },
      { id: 'd', text: 'Make sure all lifting is done by two people' }
    ],
    answer: 'a'
  },
  {
    id: 'mh-technique',
    text: 'Which of these is good handling technique?',
    options: [
      { id: 'a', text: 'Keep your legs straight and bend from the waist' },
      { id: 'b', text: 'Hold the load at arm\'s length to protect your clothes' },
      { id: 'c', text: 'Keep the load close to your waist and turn by moving your feet' },
      { id: 'd', text: 'Twist your body to put the load down quickly' }
    ],
    answer: 'c'
  },
  {
    id: 'mh-too-heavy',
    text: 'A box of supplies is heavier than you can safely manage on your own. What should you do?',
    options: [
      { id: 'a', text: 'Lift it quickly, before it becomes a problem' },
      { id: 'b', text: 'Drag it across the floor' },
      { id: 'c', text: 'Leave it where it is and say nothing' },
      { id: 'd', text: 'Do not lift it alone: break it down, use equipment or get help' }
    ],
    answer: 'd'
  },
  {
    id: 'mh-fall',
    text: 'A visitor falls in a corridor. You have not been trained in people handling. What should you do?',
    options: [
      { id: 'a', text: 'Lift them up straight away so they are not embarrassed' },
      { id: 'b', text: 'Make the area safe, reassure them, call for help and follow your local policy' },
      { id: 'c', text: 'Ask two other visitors to help you lift them into a chair' },
      { id: 'd', text: 'Walk on, because it is not your job' }
    ],
    answer: 'b'
  }
];
